namespace SaasAssistants.PublicApi.Authentication;

/// <summary>
/// A presented key whose secret matched a stored, unrevoked key: its ids, whether its tenant is active, its prefix (the
/// OAuth client_id), the scopes it grants (every scope when the key stores none) and the tenant's plan (the rate limits).
/// </summary>
public sealed record ResolvedApiKey(Guid ApiKeyId, Guid TenantId, bool TenantActive, string Prefix, IReadOnlyList<string> Scopes, string Plan);
