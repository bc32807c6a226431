namespace SaasAssistants.IntegrationTests.PublicApi;

public sealed record ApiMessage(Guid Id, string Direction, string Sender, string Text, string? Model, DateTimeOffset CreatedAt);
