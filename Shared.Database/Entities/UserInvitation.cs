namespace SaasAssistants.Database.Entities;

/// <summary>
/// An invitation to join the tenant with a role. Only the SHA-256 hash of its token is stored; the link is shown once
/// to the inviter. It can be accepted once, before it expires, unless it was revoked.
/// </summary>
public sealed class UserInvitation : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Email { get; set; }
    public required string Role { get; set; }
    public required byte[] TokenHash { get; set; }
    public Guid? InvitedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public Guid? AcceptedUserId { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsPending(DateTimeOffset now) => AcceptedAt is null && RevokedAt is null && ExpiresAt > now;
}
