namespace SaasAssistants.Gateway.Channels;

/// <summary>A WhatsApp or Instagram channel as the webhook edge sees it, from resolve_messaging_channel().</summary>
public sealed record MessagingChannel(
    ResolvedChannel Channel,
    string TenantPlan,
    string? Provider,
    string? ExternalId,
    byte[]? VerifyTokenEncrypted);
