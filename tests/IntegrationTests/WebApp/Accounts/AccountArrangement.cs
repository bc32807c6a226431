using Microsoft.AspNetCore.Identity;
using Npgsql;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.IntegrationTests.WebApp.Accounts;

/// <summary>Users with a role, media rows and counts, written and read as the owner (past row level security).</summary>
public sealed class AccountArrangement(string ownerConnectionString)
{
    public const string Password = "account-test-password-1";

    /// <summary>A user of <paramref name="tenantId"/> with a unique email; returns the email.</summary>
    public async Task<string> AddUserAsync(Guid tenantId, string role, string displayName = "Test User")
    {
        var email = $"{role}-{Guid.NewGuid():N}@accounts.test";
        var user = new User { Id = Guid.CreateVersion7(), TenantId = tenantId, Email = email, DisplayName = displayName, PasswordHash = "" };
        user.PasswordHash = new PasswordHasher<User>().HashPassword(user, Password);
        await ExecuteAsync("INSERT INTO users (id, tenant_id, email, display_name, password_hash, role) VALUES ($1, $2, $3, $4, $5, $6)",
            user.Id, tenantId, email, displayName, user.PasswordHash, role);
        return email;
    }

    /// <summary>A stored image on <paramref name="messageId"/>, row and bytes; returns the media id.</summary>
    public async Task<Guid> AddMediaAsync(Guid tenantId, Guid messageId, Guid channelId)
    {
        var id = Guid.CreateVersion7();
        await ExecuteAsync("""
            INSERT INTO message_media (id, tenant_id, message_id, channel_id, kind, source, status, content_type, size_bytes, sha256, file_name)
            VALUES ($1, $2, $3, $4, 'image', 'media-' || $1::text, 'stored', 'image/png', 3, 'abc123', 'receipt.png')
            """, id, tenantId, messageId, channelId);
        await ExecuteAsync("INSERT INTO media_contents (media_id, tenant_id, content) VALUES ($1, $2, '\\x010203')", id, tenantId);
        return id;
    }

    public async Task<long> CountAsync(string sql, params object[] values)
        => Convert.ToInt64(await ScalarAsync(sql, values));

    public async Task<object?> ScalarAsync(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return await command.ExecuteScalarAsync();
    }

    public Task ExecuteAsync(string sql, params object[] values) => ScalarAsync(sql, values);
}
