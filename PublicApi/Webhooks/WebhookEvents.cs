namespace SaasAssistants.PublicApi.Webhooks;

/// <summary>The events a subscription may ask for.</summary>
public static class WebhookEvents
{
    public static readonly string[] All = ["message.created", "conversation.created", "conversation.updated", "task.succeeded", "task.failed"];
}
