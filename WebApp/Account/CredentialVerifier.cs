using Microsoft.AspNetCore.Identity;
using Npgsql;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.WebApp.Account;

/// <summary>
/// Checks an email and password. The user's tenant is not known yet, so row level security would hide every user:
/// the lookup goes through the SECURITY DEFINER function find_user_for_sign_in, on a raw connection.
/// </summary>
public sealed class CredentialVerifier(NpgsqlDataSource dataSource, IPasswordHasher<User> hasher)
{
    private static readonly User DecoyUser = new() { Email = "", DisplayName = "", PasswordHash = "" };

    // A valid hash of a random password: an unknown email still pays for one verification, so response time
    // does not tell which emails exist.
    private static readonly Lazy<string> DecoyHash = new(() =>
        new PasswordHasher<User>().HashPassword(DecoyUser, Guid.NewGuid().ToString()));

    /// <returns>The user when the password matches, otherwise null.</returns>
    public async Task<SignInCandidate?> VerifyAsync(string email, string password, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT user_id, tenant_id, display_name, password_hash, role, tenant_status FROM find_user_for_sign_in($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = email.Trim() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);

        if (!await reader.ReadAsync(cancellationToken))
        {
            hasher.VerifyHashedPassword(DecoyUser, DecoyHash.Value, password);
            return null;
        }

        var candidate = new SignInCandidate(
            UserId: reader.GetGuid(0),
            TenantId: reader.GetGuid(1),
            DisplayName: reader.GetString(2),
            Role: reader.GetString(4),
            TenantActive: reader.GetString(5) == TenantStatus.Active);
        var passwordHash = reader.GetString(3);
        var user = new User { Id = candidate.UserId, TenantId = candidate.TenantId, Email = email, DisplayName = candidate.DisplayName, PasswordHash = passwordHash };

        return hasher.VerifyHashedPassword(user, passwordHash, password) == PasswordVerificationResult.Failed ? null : candidate;
    }
}
