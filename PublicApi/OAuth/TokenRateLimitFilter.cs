using System.Globalization;
using Microsoft.Extensions.Options;
using SaasAssistants.PublicApi.RateLimiting;

namespace SaasAssistants.PublicApi.OAuth;

/// <summary>
/// Rate limits for POST /oauth/token, which the API's own limits (counted per authenticated key) do not see: a budget
/// per client IP and one per client_id, in Redis like the others. Over either: 429 problem (<c>rate_limited</c>) with
/// Retry-After and OAuth's <c>error</c>, before the credentials are even checked.
/// </summary>
public sealed class TokenRateLimitFilter(RedisRateLimiter limiter, IOptions<ApiRateLimitOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var settings = options.Value;
        var ip = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var decision = await limiter.CountAsync($"oauth-token:ip:{ip}", settings.TokenRequestsPerIp, http.RequestAborted);
        if (decision is { Allowed: true } && http.Request.HasFormContentType)
        {
            // The client as the endpoint will read it: HTTP Basic or the form.
            var (clientId, _) = TokenEndpoint.ClientCredentials(http.Request, await http.Request.ReadFormAsync(http.RequestAborted));
            if (clientId is { Length: > 0 and <= 64 })
            {
                decision = await limiter.CountAsync($"oauth-token:client:{clientId}", settings.TokenRequestsPerClient, http.RequestAborted);
            }
        }
        if (decision is null or { Allowed: true })
        {
            return await next(context);
        }
        var retryAfter = Math.Max(1, (int)Math.Ceiling(decision.Reset.TotalSeconds));
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests",
            detail: $"Too many token requests ({decision.Limit} a minute); retry after {retryAfter} s. A token is valid for an hour: reuse it.",
            extensions: new Dictionary<string, object?> { ["code"] = "rate_limited", ["error"] = "rate_limited" });
    }
}
