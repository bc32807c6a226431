using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SaasAssistants.PublicApi.Authentication;

namespace SaasAssistants.PublicApi.OpenApi;

/// <summary>
/// Documents the X-Api-Key scheme, and marks the operations that require it, so Swagger UI offers "Authorize"
/// and clients generated from the document send the header.
/// </summary>
public sealed class ApiKeySecurityTransformer : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
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
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var requiresApiKey = context.Description.ActionDescriptor.EndpointMetadata
            .OfType<AuthorizationPolicy>()
            .Any(policy => policy.AuthenticationSchemes.Contains(ApiKeyDefaults.Scheme));
        if (requiresApiKey)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(ApiKeyDefaults.Scheme, context.Document)] = [],
            });
        }
        return Task.CompletedTask;
    }
}
