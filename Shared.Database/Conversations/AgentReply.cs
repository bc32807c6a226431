namespace SaasAssistants.Database.Conversations;

/// <summary>What an agent sends to the customer: text, or on WhatsApp a template (with the text kept for the CRM).</summary>
/// <param name="AgentId">The user writing; null only for a public API send that names no agent.</param>
public sealed record AgentReply(string? Text, Guid? AgentId, ReplyTemplate? Template = null)
{
    public const int MaxTextLength = 4096;
}
