using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Contracts.Events.Users;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.WebApp.Extensions;

namespace SaasAssistants.WebApp.Users;

/// <summary>
/// The tenant's users: invite, change a role, remove. Rules: only an owner makes or unmakes owners (an admin cannot
/// invite, promote, demote or remove one); the last owner can be neither demoted nor removed; nobody removes
/// themselves. A removed user keeps its row (its messages and notes name it) but is out at its next request
/// (SessionValidator) and its live connections end here and, through the outbox, on every other instance.
/// </summary>
public sealed class TeamMembers(SaasDbContext db, UserConnections connections, TimeProvider clock)
{
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);
    public const int MaxEmailLength = 320;

    public async Task<IReadOnlyList<UserView>> ListAsync(CancellationToken cancellationToken)
        => await db.Users.AsNoTracking().Where(u => u.RemovedAt == null).OrderBy(u => u.DisplayName)
            .Select(u => new UserView(u.Id, u.DisplayName, u.Email, u.Role, u.CreatedAt)).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<InvitationView>> PendingInvitationsAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await db.UserInvitations.AsNoTracking().Where(i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .OrderByDescending(i => i.CreatedAt).Select(i => new InvitationView(i.Id, i.Email, i.Role, i.CreatedAt, i.ExpiresAt)).ToListAsync(cancellationToken);
    }

    /// <returns>The invitation's token (for the link shown once), or why it was refused.</returns>
    public async Task<(string? Token, FormRefusal? Refusal)> InviteAsync(string? email, string? role, Guid inviterId, string inviterRole,
        CancellationToken cancellationToken)
    {
        email = email?.Trim();
        if (string.IsNullOrEmpty(email) || email.Length > MaxEmailLength || !MailAddress.TryCreate(email, out var address) || address.Address != email)
        {
            return (null, new FormRefusal("email", "email"));
        }
        if (role is null || !UserRoles.All.Contains(role))
        {
            return (null, new FormRefusal("role", "role"));
        }
        if (role == UserRoles.Owner && inviterRole != UserRoles.Owner)
        {
            return (null, new FormRefusal("owner_only", "role"));
        }
        var lower = email.ToLowerInvariant();
        if (await db.Users.AnyAsync(u => u.RemovedAt == null && u.Email.ToLower() == lower, cancellationToken))
        {
            return (null, new FormRefusal("email_taken", "email"));
        }

        var token = InvitationTokens.Generate();
        var now = clock.GetUtcNow();
        db.UserInvitations.Add(new UserInvitation
        {
            Id = Guid.CreateVersion7(now),
            Email = email,
            Role = role,
            TokenHash = InvitationTokens.Hash(token),
            InvitedBy = inviterId,
            CreatedAt = now,
            ExpiresAt = now + InvitationLifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return (token, null);
    }

    public async Task<bool> RevokeInvitationAsync(Guid id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await db.UserInvitations.Where(i => i.Id == id && i.AcceptedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAt, i => i.RevokedAt ?? now), cancellationToken) == 1;
    }

    public async Task<FormRefusal?> ChangeRoleAsync(Guid userId, string? role, string actorRole, CancellationToken cancellationToken)
    {
        if (role is null || !UserRoles.All.Contains(role))
        {
            return new FormRefusal("role", "role");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = await LockAsync(userId, cancellationToken);
        if (user is null)
        {
            return new FormRefusal("not_found");
        }
        if ((user.Role == UserRoles.Owner || role == UserRoles.Owner) && actorRole != UserRoles.Owner && user.Role != role)
        {
            return new FormRefusal("owner_only", "role");
        }
        if (user.Role == UserRoles.Owner && role != UserRoles.Owner && await OtherOwnersAsync(userId, cancellationToken) == 0)
        {
            return new FormRefusal("last_owner", "role");
        }

        user.Role = role;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    public async Task<FormRefusal?> RemoveAsync(Guid userId, Guid actorId, string actorRole, CancellationToken cancellationToken)
    {
        if (userId == actorId)
        {
            return new FormRefusal("remove_self");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = await LockAsync(userId, cancellationToken);
        if (user is null)
        {
            return new FormRefusal("not_found");
        }
        if (user.Role == UserRoles.Owner && actorRole != UserRoles.Owner)
        {
            return new FormRefusal("owner_only");
        }
        if (user.Role == UserRoles.Owner && await OtherOwnersAsync(userId, cancellationToken) == 0)
        {
            return new FormRefusal("last_owner");
        }

        user.RemovedAt = clock.GetUtcNow();
        // The hash goes too: even a restored row could not be signed in to with the old password.
        user.PasswordHash = "";
        db.AddIntegrationEvent(new UserRemoved { TenantId = user.TenantId, UserId = user.Id });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // This instance's connections at once; the event reaches the other instances (and this one again, harmlessly).
        connections.Abort(user.Id);
        return null;
    }

    /// <summary>
    /// The user row, locked along with the tenant's owners, so two concurrent demotions or removals of the last two
    /// owners cannot both see "another owner remains".
    /// </summary>
    private async Task<User?> LockAsync(Guid userId, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM users WHERE (role = 'owner' OR id = {userId}) AND removed_at IS NULL FOR UPDATE", cancellationToken);
        return await db.Users.FirstOrDefaultAsync(u => u.Id == userId && u.RemovedAt == null, cancellationToken);
    }

    private Task<int> OtherOwnersAsync(Guid userId, CancellationToken cancellationToken)
        => db.Users.CountAsync(u => u.Role == UserRoles.Owner && u.RemovedAt == null && u.Id != userId, cancellationToken);
}
