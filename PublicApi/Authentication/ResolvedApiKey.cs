namespace SaasAssistants.PublicApi.Authentication;

/// <summary>A presented key whose secret matched a stored, unrevoked key.</summary>
public sealed record ResolvedApiKey(Guid ApiKeyId, Guid TenantId, bool TenantActive);
