using Microsoft.AspNetCore.Cors.Infrastructure;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Database;
using SaasAssistants.EventBus;
using SaasAssistants.Gateway.Channels;
using SaasAssistants.Gateway.RateLimiting;
using SaasAssistants.Gateway.Webhooks;
using SaasAssistants.Gateway.Webhooks.Meta;
using SaasAssistants.Gateway.Webhooks.Retention;
using SaasAssistants.Gateway.Widget;

namespace Microsoft.Extensions.Hosting;

internal static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddSaasDatabase();
        // abortConnect=false: the gateway starts while Redis is down (the rate limiter lets traffic through meanwhile)
        // and the multiplexer keeps reconnecting.
        builder.AddRedisClient("redis", configureOptions: options => options.AbortOnConnectFail = false);
        builder.AddEventBus("messaging");
        builder.AddOutboxRelay();

        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ChannelCache>();
        builder.Services.AddHostedService<ChannelChangeListener>();
        builder.Services.AddSingleton<ChannelResolver>();
        builder.Services.AddScoped<WebhookIntake>();
        builder.Services.AddOptions<IntakeOptions>().BindConfiguration(IntakeOptions.SectionName);
        builder.Services.AddSingleton<IntakeMetrics>();
        builder.Services.AddSingleton<AcceptedWebhookWriter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AcceptedWebhookWriter>());
        builder.Services.AddSingleton<MessagingChannelResolver>();
        builder.Services.AddScoped<MetaWebhookReceiver>();
        builder.Services.AddOptions<WebhookRetentionOptions>().BindConfiguration(WebhookRetentionOptions.SectionName);
        builder.Services.AddSingleton<WebhookRetentionJob>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WebhookRetentionJob>());
        builder.Services.AddOptions<TenantRateLimitOptions>().BindConfiguration("RateLimits");
        builder.Services.AddSingleton<TenantRateLimiter>();
        builder.Services.AddOptions<AnonymousWebhookLimitOptions>().BindConfiguration(AnonymousWebhookLimitOptions.SectionName);
        builder.Services.AddSingleton<AnonymousWebhookLimiter>();

        builder.Services.AddOptions<WidgetOptions>().BindConfiguration("Widget");
        builder.Services.AddSingleton<WidgetSessionSigner>();
        builder.Services.AddSingleton<WidgetConnections>();
        // Every Gateway instance holds its own widget connections, so each one needs every reply.
        builder.AddEventConsumer<AiResponseGenerated, WidgetReplyHandler>("gateway.widget-replies", EventQueueKind.PerInstance);

        // The widget runs on the tenants' own sites: its endpoints are public (the channel token and a signed visitor
        // session are the credentials; no cookies are involved). Each widget channel may name the sites it runs on
        // (WidgetCorsPolicyProvider, WidgetOriginFilter); the rest of the Gateway keeps the any-origin default.
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(WidgetCorsPolicyProvider.Build(policy => policy.AllowAnyOrigin())));
        builder.Services.AddSingleton<ICorsPolicyProvider, WidgetCorsPolicyProvider>();
        return builder;
    }
}
