using SaasAssistants.PublicApi.RateLimiting;

namespace Microsoft.Extensions.Hosting;

internal static class ApiRateLimitExtensions
{
    /// <summary>Aspire's Redis client ("redis"); its health check is off because the API works, unlimited, without Redis.</summary>
    public static IHostApplicationBuilder AddApiRateLimits(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient("redis",
            settings => settings.DisableHealthChecks = true,
            options =>
            {
                // Start without Redis and reconnect in the background; a request never waits for a connection.
                options.AbortOnConnectFail = false;
                options.ConnectTimeout = 2_000;
            });
        builder.Services.AddOptions<ApiRateLimitOptions>().BindConfiguration(ApiRateLimitOptions.Section);
        builder.Services.AddSingleton<RedisRateLimiter>();
        return builder;
    }

    /// <summary>After authorization: only requests that carry a valid credential are counted.</summary>
    public static WebApplication UseApiRateLimits(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<ApiRateLimitMiddleware>();
        return app;
    }
}
