using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using SaasAssistants.Database.ApiKeys;
using SaasAssistants.PublicApi.Authentication;

namespace SaasAssistants.PublicApi.OAuth;

/// <summary>
/// POST /oauth/token, OAuth 2.0 client credentials (RFC 6749 §4.4). Every API key is a client: client_id is the key's
/// prefix, client_secret the whole key, sent in the form or as HTTP Basic (§2.3.1). Errors carry RFC 6749's "error"
/// code inside an RFC 7807 problem, so OAuth libraries and our other clients both understand them.
/// </summary>
public static class TokenEndpoint
{
    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost(AccessTokenDefaults.TokenPath, IssueToken)
            .WithTags("Authentication")
            .WithName("IssueAccessToken")
            .WithSummary("Issues an access token (OAuth 2.0 client credentials) for an API key.")
            .WithDescription("Form fields grant_type=client_credentials, client_id (the key's prefix), client_secret (the whole key) and optionally scope (space-separated, at most the key's scopes). Send the token as Authorization: Bearer.")
            // Documented by hand: Accepts<T>() would also make the framework refuse other bodies with a bare 415 before the
            // endpoint can answer with OAuth's invalid_request.
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = TokenRequestDocumentation.Body();
                return Task.CompletedTask;
            })
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AddEndpointFilter<TokenRateLimitFilter>()
            .DisableAntiforgery()
            .AllowAnonymous();
        app.MapGet(AccessTokenDefaults.JwksPath, JsonWebKeys.GetAsync)
            .WithTags("Authentication")
            .WithName("GetJsonWebKeySet")
            .WithSummary("The public keys that verify access tokens (JWKS, RFC 7517): every ES256 key whose tokens are still valid.")
            .AllowAnonymous();
        return app;
    }

    public static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueToken(
        HttpContext http, ApiKeyResolver resolver, AccessTokenIssuer issuer, TimeProvider time, CancellationToken cancellationToken)
    {
        // Tokens must not be cached by anything on the way (RFC 6749 §5.1), errors included.
        http.Response.Headers.CacheControl = "no-store";
        if (!http.Request.HasFormContentType)
        {
            return OAuthProblem(StatusCodes.Status400BadRequest, "invalid_request", "The body must be application/x-www-form-urlencoded.");
        }

        var form = await http.Request.ReadFormAsync(cancellationToken);

        if (form["grant_type"].ToString() is not { Length: > 0 } grantType)
        {
            return OAuthProblem(StatusCodes.Status400BadRequest, "invalid_request", "grant_type is required.");
        }

        if (grantType != "client_credentials")
        {
            return OAuthProblem(StatusCodes.Status400BadRequest, "unsupported_grant_type", "Only grant_type=client_credentials is supported.");
        }

        var (clientId, clientSecret) = ClientCredentials(http.Request, form);
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(clientSecret))
        {
            return InvalidClient(http, "client_id and client_secret are required (form fields or HTTP Basic).");
        }
        // The id must be the secret's own prefix: a key cannot be presented under another client's id.
        if (!ApiKeyFormat.TryGetPrefix(clientSecret, out var prefix) || prefix != clientId)
        {
            return InvalidClient(http, "Invalid client credentials.");
        }

        var key = await resolver.ResolveAsync(clientSecret, cancellationToken);
        if (key is null)
        {
            return InvalidClient(http, "Invalid client credentials.");
        }

        if (!key.TenantActive)
        {
            return InvalidClient(http, "The account of this client is suspended or cancelled.");
        }

        var requested = ApiScopes.Split(form["scope"].ToString());
        var unknown = requested.Except(key.Scopes, StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0)
        {
            return OAuthProblem(StatusCodes.Status400BadRequest, "invalid_scope", $"Not granted to this client: {string.Join(' ', unknown)}.");
        }

        var scopes = requested.Length == 0 ? key.Scopes : requested.Distinct(StringComparer.Ordinal).ToArray();

        var (token, expiresAt) = await issuer.IssueAsync(key, [.. scopes], cancellationToken);
        var expiresIn = (int)Math.Round((expiresAt - time.GetUtcNow()).TotalSeconds);
        return TypedResults.Ok(new TokenResponse(token, "Bearer", expiresIn, ApiScopes.Join(scopes)));
    }

    internal static (string? Id, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is { } encoded)
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                var colon = pair.IndexOf(':');
                // RFC 6749 §2.3.1: both parts are form-url-encoded before they are joined.
                if (colon > 0)
                {
                    return (Uri.UnescapeDataString(pair[..colon]), Uri.UnescapeDataString(pair[(colon + 1)..]));
                }
            }
            catch (FormatException)
            {
            }
            return (null, null);
        }
        return (form["client_id"].ToString(), form["client_secret"].ToString());
    }

    private static ProblemHttpResult InvalidClient(HttpContext http, string detail)
    {
        http.Response.Headers.WWWAuthenticate = "Basic realm=\"oauth\"";
        return OAuthProblem(StatusCodes.Status401Unauthorized, "invalid_client", detail);
    }

    private static ProblemHttpResult OAuthProblem(int status, string error, string description)
        => TypedResults.Problem(statusCode: status, detail: description, extensions: new Dictionary<string, object?>
        {
            ["error"] = error,
            ["error_description"] = description,
        });
}

/// <summary>RFC 6749 §5.1.</summary>
public sealed record TokenResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn,
    [property: System.Text.Json.Serialization.JsonPropertyName("scope")] string Scope);
