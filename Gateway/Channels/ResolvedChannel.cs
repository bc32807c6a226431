namespace SaasAssistants.Gateway.Channels;

/// <summary>What the Gateway needs to know about a channel before the tenant is known, from resolve_channel().</summary>
public sealed record ResolvedChannel(
    Guid ChannelId,
    Guid TenantId,
    Guid WorkspaceId,
    Guid? AssistantId,
    string ChannelType,
    bool ChannelActive,
    bool TenantActive,
    byte[] SecretEncrypted);
