namespace SaasAssistants.Gateway.Webhooks;

/// <summary>A channel's report on one of our outbound messages (sent, delivered, read, failed with its error code).</summary>
public sealed record DeliveryUpdate(string ChannelMessageId, string Status, string? Error, DateTimeOffset At);
