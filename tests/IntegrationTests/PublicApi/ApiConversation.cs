namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>An arranged conversation with its messages, oldest first.</summary>
public sealed record ApiConversation(Guid ConversationId, Guid ContactId, string ContactExternalId, string ContactName,
    DateTimeOffset LastMessageAt, IReadOnlyList<ApiMessage> Messages);
