using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Events.Conversations;
using SaasAssistants.Contracts.Events.Tasks;
using SaasAssistants.Contracts.Events.Webhooks;
using SaasAssistants.Database.Webhooks;
using SaasAssistants.EventBus;
using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.MessageProcessor.Webhooks;

public static class WebhookDeliveryExtensions
{
    /// <summary>The durable queues that feed the fan-out, one per event type ("message-processor.webhooks.MessageAdded", ...).</summary>
    public static readonly IReadOnlyList<string> Queues =
    [
        QueueFor<MessageAdded>(), QueueFor<ConversationStateChanged>(), QueueFor<ConversationHandoffChanged>(),
        QueueFor<TaskSucceeded>(), QueueFor<TaskDeadLettered>(), QueueFor<WebhookSubscriptionDisabled>(),
    ];

    /// <summary>
    /// Outbound webhooks: the fan-out of integration events to subscriptions (<see cref="WebhookEventHandlers"/>) and
    /// the <c>webhook.deliver</c> processor, the tenant's notice when a subscription is disabled
    /// (<see cref="WebhookSubscriptionDisabledHandler"/>), with a backoff that spreads a delivery's attempts over its retry window
    /// (30 s doubling up to 8 h; <c>Tasks:RetryPolicies:webhook.deliver</c> overrides it). Needs <c>AddTaskEngine</c>.
    /// </summary>
    public static IHostApplicationBuilder AddWebhookDelivery(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookDeliveryOptions>().BindConfiguration(WebhookDeliveryOptions.SectionName);
        builder.Services.Configure<TaskEngineOptions>(tasks => tasks.RetryPolicies.TryAdd(WebhookDeliveryTasks.TaskType,
            new TaskRetryOptions { BaseDelay = WebhookRetryWindow.DefaultPolicy.BaseDelay, MaxDelay = WebhookRetryWindow.DefaultPolicy.MaxDelay }));
        builder.Services.AddSingleton<WebhookHttpClient>();
        builder.Services.AddScoped<WebhookFanOut>();
        builder.Services.AddTaskProcessor<WebhookDeliverProcessor>();

        builder.AddEventConsumer<MessageAdded, WebhookEventHandlers>(QueueFor<MessageAdded>());
        builder.AddEventConsumer<ConversationStateChanged, WebhookEventHandlers>(QueueFor<ConversationStateChanged>());
        builder.AddEventConsumer<ConversationHandoffChanged, WebhookEventHandlers>(QueueFor<ConversationHandoffChanged>());
        builder.AddEventConsumer<TaskSucceeded, WebhookEventHandlers>(QueueFor<TaskSucceeded>());
        builder.AddEventConsumer<TaskDeadLettered, WebhookEventHandlers>(QueueFor<TaskDeadLettered>());
        builder.AddEventConsumer<WebhookSubscriptionDisabled, WebhookSubscriptionDisabledHandler>(QueueFor<WebhookSubscriptionDisabled>());
        return builder;
    }

    private static string QueueFor<TEvent>() where TEvent : IntegrationEvent => $"message-processor.webhooks.{typeof(TEvent).Name}";
}
