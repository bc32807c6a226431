using SaasAssistants.Database;
using SaasAssistants.PublicApi.Tasks;

namespace Microsoft.Extensions.Hosting;

internal static class ApplicationServiceExtensions
{
    /// <summary>/health checks just PostgreSQL: without Redis the API still works (rate limits fail open).</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddSaasDatabase();
        builder.AddPublicApiVersioning();
        builder.AddApiKeyAuthentication();
        builder.AddApiRateLimits();
        builder.AddApiDocumentation();
        builder.Services.AddSingleton<TasksApiMetrics>();
        builder.Services.AddSingleton<SaasAssistants.PublicApi.Webhooks.WebhookTargetPolicy>();
        return builder;
    }
}
