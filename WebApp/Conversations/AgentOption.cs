namespace SaasAssistants.WebApp.Conversations;

/// <summary>A user of the tenant a conversation can be assigned to.</summary>
public sealed record AgentOption(Guid Id, string DisplayName);
