namespace SaasAssistants.Gateway.Webhooks;

/// <summary>The audit row of an accepted delivery, as <see cref="AcceptedWebhookWriter"/> inserts it.</summary>
public sealed record AcceptedWebhook(Guid Id, Guid TenantId, Guid ChannelId, string ChannelType, string? CorrelationId, string Payload,
    string? Signature, bool? SignatureVerified, DateTimeOffset ReceivedAt, DateTimeOffset ProcessedAt);
