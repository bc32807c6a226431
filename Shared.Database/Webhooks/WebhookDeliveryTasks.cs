using System.Text.Json;
using SaasAssistants.Database.Tasks;

namespace SaasAssistants.Database.Webhooks;

/// <summary>
/// The <c>webhook.deliver</c> task that carries one delivery: created where an event fans out (MessageProcessor) and
/// where a partner replays one (PublicApi), so both queue it the same way.
/// </summary>
public static class WebhookDeliveryTasks
{
    public const string TaskType = "webhook.deliver";

    /// <param name="retryUntil">The end of the retry window: a failure after it is final, whatever attempts are left.</param>
    public static TaskItem Create(Guid tenantId, Guid deliveryId, DateTimeOffset retryUntil, int maxAttempts, DateTimeOffset now, string? correlationId)
    {
        var payload = JsonSerializer.Serialize(new WebhookDeliveryPayload(deliveryId, retryUntil), JsonSerializerOptions.Web);
        var task = TaskItem.Create(tenantId, TaskType, payload, now, maxAttempts: maxAttempts, correlationId: correlationId);
        task.Enqueue(now);
        return task;
    }
}

/// <summary>The <c>webhook.deliver</c> task's payload.</summary>
public sealed record WebhookDeliveryPayload(Guid DeliveryId, DateTimeOffset RetryUntil);
