using System.Globalization;
using Microsoft.Extensions.Options;
using SaasAssistants.PublicApi.Authentication;

namespace SaasAssistants.PublicApi.RateLimiting;

/// <summary>
/// Counts every authenticated API request (API key or access token alike: both name the key and the plan) and answers
/// 429 with Retry-After once a budget is spent. Every counted response carries the RateLimit fields of the IETF
/// httpapi draft (RateLimit-Limit, -Remaining, -Reset, and RateLimit-Policy), so clients can pace themselves before
/// they hit the limit. Runs after authorization, so unauthenticated requests cost nothing and are not counted.
/// </summary>
public sealed class ApiRateLimitMiddleware(RequestDelegate next, RedisRateLimiter limiter, IOptions<ApiRateLimitOptions> options, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var user = context.User;
        if (!Guid.TryParse(user.FindFirst(ApiKeyDefaults.TenantIdClaim)?.Value, out var tenantId)
            || !Guid.TryParse(user.FindFirst(ApiKeyDefaults.ApiKeyIdClaim)?.Value, out var apiKeyId))
        {
            await next(context);
            return;
        }

        var limit = options.Value.For(user.FindFirst(ApiKeyDefaults.PlanClaim)?.Value);
        var headers = context.Response.Headers;
        var window = (int)options.Value.Window.TotalSeconds;
        headers["RateLimit-Policy"] = $"{limit.PerKey};w={window}, {limit.PerTenant};w={window};comment=\"tenant\"";
        var decision = await limiter.CountAsync(tenantId, apiKeyId, limit, context.RequestAborted);
        if (decision is null)
        {
            await next(context);
            return;
        }

        var resetSeconds = (int)Math.Ceiling(decision.Reset.TotalSeconds);
        headers["RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Reset"] = resetSeconds.ToString(CultureInfo.InvariantCulture);
        if (decision.Allowed)
        {
            await next(context);
            return;
        }

        headers.RetryAfter = Math.Max(1, resetSeconds).ToString(CultureInfo.InvariantCulture);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too Many Requests",
                Detail = $"Rate limit of {decision.Limit} requests per {window} s reached; retry after {Math.Max(1, resetSeconds)} s.",
                Extensions = { ["code"] = "rate_limited" },
            },
        });
    }
}
