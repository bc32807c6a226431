namespace SaasAssistants.Database.Entities;

/// <summary>A person of the tenant who signs in to the CRM (an agent, an admin, the owner).</summary>
public sealed class User : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Email { get; set; }
    public required string DisplayName { get; set; }
    public required string PasswordHash { get; set; }
    public string Role { get; set; } = "agent";
    public DateTimeOffset CreatedAt { get; set; }
}
