using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.WebApp.Account;

/// <summary>
/// Checks an email and password. The user's tenant is not known yet, so row level security would hide every user:
/// the lookup goes through the SECURITY DEFINER function find_user_for_sign_in, on a raw connection.
/// Wrong passwords are counted per account (record_failed_sign_in): after Account:LockoutAfterFailedSignIns in a row the
/// account is locked for Account:LockoutDuration, whatever address the guesses come from (the per-address limit is
/// SignInRateLimiting). A locked account is refused before its password is checked, so guessing gains nothing.
/// </summary>
public sealed class CredentialVerifier(NpgsqlDataSource dataSource, IPasswordHasher<User> hasher, IOptions<AccountOptions> options,
    TimeProvider clock)
{
    private static readonly User DecoyUser = new() { Email = "", DisplayName = "", PasswordHash = "" };

    // A valid hash of a random password: an unknown email still pays for one verification, so response time
    // does not tell which emails exist.
    private static readonly Lazy<string> DecoyHash = new(() =>
        new PasswordHasher<User>().HashPassword(DecoyUser, Guid.NewGuid().ToString()));

    public async Task<SignInOutcome> VerifyAsync(string email, string password, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT user_id, tenant_id, display_name, password_hash, role, tenant_status, locked_until, tenant_language FROM find_user_for_sign_in($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = email.Trim() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);

        if (!await reader.ReadAsync(cancellationToken))
        {
            hasher.VerifyHashedPassword(DecoyUser, DecoyHash.Value, password);
            return SignInOutcome.Invalid;
        }

        var candidate = new SignInCandidate(
            UserId: reader.GetGuid(0),
            TenantId: reader.GetGuid(1),
            DisplayName: reader.GetString(2),
            Role: reader.GetString(4),
            TenantActive: reader.GetString(5) == TenantStatus.Active,
            Language: reader.IsDBNull(7) ? null : reader.GetString(7));
        var passwordHash = reader.GetString(3);
        DateTimeOffset? lockedUntil = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6);
        await reader.DisposeAsync();

        if (lockedUntil is { } until && until > clock.GetUtcNow())
        {
            return SignInOutcome.Locked(until);
        }

        var user = new User { Id = candidate.UserId, TenantId = candidate.TenantId, Email = email, DisplayName = candidate.DisplayName, PasswordHash = passwordHash };
        if (hasher.VerifyHashedPassword(user, passwordHash, password) == PasswordVerificationResult.Failed)
        {
            return await RecordFailureAsync(candidate.UserId, cancellationToken) is { } lockedNow
                ? SignInOutcome.Locked(lockedNow)
                : SignInOutcome.Invalid;
        }

        await using var success = dataSource.CreateCommand("SELECT record_successful_sign_in($1)");
        success.Parameters.Add(new NpgsqlParameter { Value = candidate.UserId });
        await success.ExecuteNonQueryAsync(cancellationToken);
        return SignInOutcome.Verified(candidate);
    }

    /// <returns>When this failure locked the account: the end of the lock.</returns>
    private async Task<DateTimeOffset?> RecordFailureAsync(Guid userId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var command = dataSource.CreateCommand("SELECT record_failed_sign_in($1, $2, $3)");
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = settings.LockoutAfterFailedSignIns });
        command.Parameters.Add(new NpgsqlParameter { Value = settings.LockoutDuration });
        var lockedUntil = await command.ExecuteScalarAsync(cancellationToken);
        return lockedUntil is DateTime until && until > clock.GetUtcNow().UtcDateTime ? new DateTimeOffset(until, TimeSpan.Zero) : null;
    }
}
