namespace SaasAssistants.Database.Setup;

/// <summary>
/// What a developer (or a test) needs to use the demo tenant. <see cref="ApiKey"/> is empty when no key was passed and
/// one already existed: only its hash is stored.
/// </summary>
public sealed record SeedResult(Guid TenantId, string ApiKey, string WebChannelToken, string AgentEmail, string AgentPassword);
