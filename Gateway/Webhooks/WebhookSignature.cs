namespace SaasAssistants.Gateway.Webhooks;

/// <summary>The signature header a delivery came with, and whether it verified: both go on the audit row.</summary>
public sealed record WebhookSignature(string? Header, bool Verified);
