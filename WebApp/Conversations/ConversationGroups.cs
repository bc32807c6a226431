namespace SaasAssistants.WebApp.Conversations;

/// <summary>
/// SignalR group names. Each one carries the tenant id, so a push addressed with the tenant of an event
/// can only reach connections of that tenant.
/// </summary>
public static class ConversationGroups
{
    public static string Tenant(Guid tenantId) => $"tenant:{tenantId}";

    public static string Conversation(Guid tenantId, Guid conversationId) => $"tenant:{tenantId}:conversation:{conversationId}";
}
