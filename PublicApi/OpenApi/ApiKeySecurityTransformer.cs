using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SaasAssistants.PublicApi.Authentication;
using SaasAssistants.PublicApi.OAuth;

namespace SaasAssistants.PublicApi.OpenApi;

/// <summary>
/// Documents the two credentials (the X-Api-Key scheme, and OAuth 2.0 client credentials at /oauth/token with the
/// scopes) and marks the operations that require them, each with its scope, so Swagger UI offers "Authorize" and
/// clients generated from the document send a credential.
/// </summary>
public sealed class ApiKeySecurityTransformer : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string OAuthScheme = "OAuth2";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyDefaults.Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyDefaults.HeaderName,
            Description = "The tenant's API key, sa_{prefix}_{secret}. It identifies the tenant: every response holds only that tenant's data.",
        };
        document.Components.SecuritySchemes[OAuthScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.OAuth2,
            Description = "OAuth 2.0 client credentials: client_id is the API key's prefix, client_secret the whole key. Send the token as Authorization: Bearer.",
            Flows = new OpenApiOAuthFlows
            {
                ClientCredentials = new OpenApiOAuthFlow
                {
                    TokenUrl = new Uri(AccessTokenDefaults.TokenPath, UriKind.Relative),
                    Scopes = ApiScopes.All.ToDictionary(s => s, s => $"Allows {s.Replace(':', ' ')}."),
                },
            },
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var policies = context.Description.ActionDescriptor.EndpointMetadata.OfType<AuthorizationPolicy>().ToArray();
        if (!policies.Any(policy => policy.AuthenticationSchemes.Contains(PublicApiAuthentication.Scheme)))
        {
            return Task.CompletedTask;
        }

        var scopes = policies.SelectMany(p => p.Requirements).OfType<ScopeRequirement>().Select(r => r.Scope).Distinct().ToList();
        operation.Security ??= [];
        // Alternatives: either credential will do.
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyDefaults.Scheme, context.Document)] = [] });
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OAuthScheme, context.Document)] = scopes });
        if (scopes.Count > 0)
        {
            operation.Description = $"Scope: {string.Join(", ", scopes)}. {operation.Description}".TrimEnd();
        }

        return Task.CompletedTask;
    }
}
