namespace SaasAssistants.Database.Entities;

/// <summary>A customer of the tenant as seen on one channel.</summary>
public sealed class Contact : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ChannelId { get; set; }
    public required string ExternalId { get; set; }
    public string? DisplayName { get; set; }
    /// <summary>The tenant's own fields on the contact, a JSON object (jsonb), set through the public API.</summary>
    public string Metadata { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; set; }
}
