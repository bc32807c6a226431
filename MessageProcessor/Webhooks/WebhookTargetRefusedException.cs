namespace SaasAssistants.MessageProcessor.Webhooks;

/// <summary>The delivery's host resolved to an address a webhook must not reach (SSRF): no connection was opened.</summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);
