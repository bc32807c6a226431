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
    public string? Email { get; set; }
    public string? Phone { get; set; }
    /// <summary>The team's free text about the contact (never sent to the customer).</summary>
    public string? Notes { get; set; }
    public string[] Tags { get; set; } = [];
    /// <summary>Set by an LGPD erasure: the row stays for its conversations, with nothing personal left in it.</summary>
    public DateTimeOffset? ErasedAt { get; set; }
}
