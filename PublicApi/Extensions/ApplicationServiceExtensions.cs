using SaasAssistants.Database;
using SaasAssistants.Database.Media;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.PublicApi.Tasks;

namespace Microsoft.Extensions.Hosting;

internal static class ApplicationServiceExtensions
{
    /// <summary>/health checks just PostgreSQL: without Redis the API still works (rate limits fail open, no search cache).</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddSaasDatabase();
        builder.AddPublicApiVersioning();
        builder.AddApiKeyAuthentication();
        builder.AddApiRateLimits();
        // After the rate limits: the knowledge search cache shares their Redis client (no second registration).
        builder.AddKnowledge();
        builder.AddApiDocumentation();
        builder.Services.AddAgentActions();
        // Customers' stored files, downloaded through a message's attachments.
        builder.Services.AddMediaStorage();
        builder.Services.AddSingleton<TasksApiMetrics>();
        builder.Services.AddSingleton<SaasAssistants.PublicApi.Webhooks.WebhookTargetPolicy>();
        builder.Services.AddOptions<SaasAssistants.PublicApi.Webhooks.WebhookApiOptions>().BindConfiguration(SaasAssistants.PublicApi.Webhooks.WebhookApiOptions.SectionName);
        builder.Services.AddOptions<SaasAssistants.Database.Webhooks.WebhookDeliveryOptions>().BindConfiguration(SaasAssistants.Database.Webhooks.WebhookDeliveryOptions.SectionName);
        return builder;
    }
}
