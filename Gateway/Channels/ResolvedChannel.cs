namespace SaasAssistants.Gateway.Channels;

/// <summary>
/// What the Gateway needs to know about a channel before the tenant is known, from resolve_channel().
/// <see cref="AllowedOrigins"/>: the sites a web widget may run on (normalized scheme://host[:port]); empty = any.
/// </summary>
public sealed record ResolvedChannel(
    Guid ChannelId,
    Guid TenantId,
    Guid WorkspaceId,
    Guid? AssistantId,
    string ChannelType,
    bool ChannelActive,
    bool TenantActive,
    byte[] SecretEncrypted,
    IReadOnlyList<string> AllowedOrigins);
