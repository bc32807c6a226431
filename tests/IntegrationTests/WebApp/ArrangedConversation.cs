namespace SaasAssistants.IntegrationTests.WebApp;

public sealed record ArrangedConversation(Guid TenantId, Guid ConversationId, Guid ChannelId, string ContactName, IReadOnlyList<ArrangedMessage> Messages);

public sealed record ArrangedMessage(Guid Id, string Direction, string Sender, string Text, DateTimeOffset CreatedAt);
