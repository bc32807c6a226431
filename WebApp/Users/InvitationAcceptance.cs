using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.WebApp.Account;
using SaasAssistants.WebApp.Extensions;

namespace SaasAssistants.WebApp.Users;

/// <summary>
/// Accepting an invitation: the invitee is not signed in, so the invitation is found through the SECURITY DEFINER
/// function find_user_invitation (by the token's hash); the rest runs under the invitation's tenant. One transaction
/// marks the invitation accepted (only if still pending, so a link works once even when clicked twice at once) and
/// creates the user.
/// </summary>
public sealed class InvitationAcceptance(NpgsqlDataSource dataSource, SaasDbContext db, ITenantContext tenant, IPasswordHasher<User> hasher,
    TimeProvider clock)
{
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 200;
    public const int MaxNameLength = 100;
    private const string EmailIndex = "ux_users_email";

    public async Task<PendingInvitation?> FindAsync(string token, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT invitation_id, tenant_id, email, role, expires_at, accepted_at, revoked_at, tenant_name, tenant_status FROM find_user_invitation($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = InvitationTokens.Hash(token) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var usable = reader.GetFieldValue<DateTimeOffset>(4) > clock.GetUtcNow() && reader.IsDBNull(5) && reader.IsDBNull(6)
            && reader.GetString(8) == TenantStatus.Active;
        return new PendingInvitation(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(7), reader.GetString(2), reader.GetString(3), usable);
    }

    /// <returns>The new user, ready to be signed in; or why not.</returns>
    public async Task<(SignInCandidate? User, FormRefusal? Refusal)> AcceptAsync(string token, string? displayName, string? password,
        CancellationToken cancellationToken)
    {
        displayName = displayName?.Trim();
        if (string.IsNullOrEmpty(displayName) || displayName.Length > MaxNameLength)
        {
            return (null, new FormRefusal("display_name", "displayName"));
        }
        if (password is null || password.Length < MinPasswordLength || password.Length > MaxPasswordLength)
        {
            return (null, new FormRefusal("password", "password"));
        }
        var invitation = await FindAsync(token, cancellationToken);
        if (invitation is not { IsUsable: true })
        {
            return (null, new FormRefusal("invitation_unusable"));
        }

        tenant.SetTenant(invitation.TenantId);
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = new User { Id = Guid.CreateVersion7(now), Email = invitation.Email, DisplayName = displayName, PasswordHash = "", Role = invitation.Role, CreatedAt = now };
        user.PasswordHash = hasher.HashPassword(user, password);
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: EmailIndex })
        {
            return (null, new FormRefusal("email_taken"));
        }

        var claimed = await db.UserInvitations
            .Where(i => i.Id == invitation.Id && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, now).SetProperty(i => i.AcceptedUserId, user.Id), cancellationToken);
        if (claimed != 1)
        {
            // Accepted (or revoked) by a concurrent request since it was read: this one's user is rolled back.
            return (null, new FormRefusal("invitation_unusable"));
        }

        await transaction.CommitAsync(cancellationToken);
        return (new SignInCandidate(user.Id, invitation.TenantId, user.DisplayName, user.Role, TenantActive: true), null);
    }
}
