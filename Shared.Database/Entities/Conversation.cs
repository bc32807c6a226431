namespace SaasAssistants.Database.Entities;

public sealed class Conversation : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid ChannelId { get; set; }
    public Guid ContactId { get; set; }
    public Guid? AssistantId { get; set; }
    public string Status { get; set; } = "open";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastMessageAt { get; set; }

    public Contact? Contact { get; set; }
    public Channel? Channel { get; set; }
}
