namespace SaasAssistants.Database.Entities;

/// <summary>An internal note on a conversation: for the team only, never sent to the customer's channel.</summary>
public sealed class ConversationNote : ITenantOwned
{
    public const int MaxLength = 4000;

    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }
    /// <summary>The user who wrote it; null for a note that came through the public API without a user.</summary>
    public Guid? AuthorId { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
