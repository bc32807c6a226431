namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>A tenant arranged for the PublicApi tests, with the API key that acts for it.</summary>
public sealed record ApiTenant(Guid TenantId, Guid WorkspaceId, Guid ChannelId, string ApiKey, Guid ApiKeyId);
