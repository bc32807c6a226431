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

    public Task AddNoteAsync(ArrangedConversation conversation, string text)
        => ExecuteAsync("INSERT INTO conversation_notes (id, tenant_id, conversation_id, text) VALUES (gen_random_uuid(), $1, $2, $3)",
            conversation.TenantId, conversation.ConversationId, text);

    /// <summary>An ai.reply task with a text artifact (the reply) that wrote the conversation's outbound message; returns the task id.</summary>
    public async Task<Guid> AddReplyTaskAsync(ArrangedConversation conversation, string reply)
    {
        var taskId = Guid.CreateVersion7();
        await ExecuteAsync("""
            INSERT INTO tasks (id, tenant_id, type, status, attempt_count, started_at, finished_at)
            VALUES ($1, $2, 'ai.reply', 'Succeeded', 1, now(), now())
            """, taskId, conversation.TenantId);
        await ExecuteAsync("INSERT INTO task_artifacts (id, tenant_id, task_id, kind, content) VALUES (gen_random_uuid(), $1, $2, 'text', $3)",
            conversation.TenantId, taskId, reply);
        await ExecuteAsync("UPDATE messages SET task_id = $2 WHERE id = $1", conversation.Messages[1].Id, taskId);
        return taskId;
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
