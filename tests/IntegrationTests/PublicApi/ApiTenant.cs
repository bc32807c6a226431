namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>A tenant arranged for the PublicApi tests, with the API key that acts for it.</summary>
public sealed record ApiTenant(Guid TenantId, Guid WorkspaceId, Guid ChannelId, string ApiKey, Guid ApiKeyId);

/// <summary>A conversation with its messages, oldest first.</summary>
public sealed record ApiConversation(Guid ConversationId, Guid ContactId, string ContactExternalId, string ContactName,
    DateTimeOffset LastMessageAt, IReadOnlyList<ApiMessage> Messages);

public sealed record ApiMessage(Guid Id, string Direction, string Sender, string Text, string? Model, DateTimeOffset CreatedAt);
