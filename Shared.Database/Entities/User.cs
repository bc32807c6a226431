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
    /// <summary>Set when the user was removed: the row stays (messages and notes name it), sign-in and sessions end.</summary>
    public DateTimeOffset? RemovedAt { get; set; }
}

public static class UserRoles
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    public const string Agent = "agent";

    public static readonly string[] All = [Owner, Admin, Agent];
}
