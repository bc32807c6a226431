namespace SaasAssistants.MessageProcessor.Buffering;

/// <summary>A conversation as the buffer names it: "{tenantId}:{conversationId}", so the flush knows the tenant first.</summary>
public readonly record struct ConversationKey(Guid TenantId, Guid ConversationId)
{
    public override string ToString() => $"{TenantId:N}:{ConversationId:N}";

    public static bool TryParse(string? value, out ConversationKey key)
    {
        key = default;
        var parts = value?.Split(':');
        if (parts is not [var tenant, var conversation] || !Guid.TryParse(tenant, out var tenantId) || !Guid.TryParse(conversation, out var conversationId))
        {
            return false;
        }

        key = new ConversationKey(tenantId, conversationId);
        return true;
    }
}
