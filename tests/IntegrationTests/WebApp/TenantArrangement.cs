using Microsoft.AspNetCore.Identity;
using Npgsql;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.IntegrationTests.WebApp;

/// <summary>Rows written as the owner (past row level security), the way the MessageProcessor and the admin area would.</summary>
public sealed class TenantArrangement(string ownerConnectionString)
{
    /// <summary>A tenant with a workspace and a WhatsApp channel; returns (tenant, workspace, channel).</summary>
    public async Task<(Guid TenantId, Guid WorkspaceId, Guid ChannelId)> AddTenantAsync(string name, string status = "active")
    {
        var (tenantId, workspaceId, channelId) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        await ExecuteAsync("INSERT INTO tenants (id, name, status) VALUES ($1, $2, $3)", tenantId, name, status);
        await ExecuteAsync("INSERT INTO workspaces (id, tenant_id, name) VALUES ($2, $1, 'Main')", tenantId, workspaceId);
        await ExecuteAsync("""
            INSERT INTO channels (id, tenant_id, workspace_id, type, name, public_token, secret_encrypted)
            VALUES ($3, $1, $2, 'whatsapp', 'WhatsApp', 'wa_' || $3::text, '\x00')
            """, tenantId, workspaceId, channelId);
        return (tenantId, workspaceId, channelId);
    }

    /// <summary>The seeded tenant's workspace and web channel.</summary>
    public async Task<(Guid TenantId, Guid WorkspaceId, Guid ChannelId)> FindSeededAsync(Guid tenantId)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT workspace_id, id FROM channels WHERE tenant_id = $1 LIMIT 1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (tenantId, reader.GetGuid(0), reader.GetGuid(1));
    }

    public async Task AddUserAsync(Guid tenantId, string email, string password, string displayName = "Other Agent")
    {
        var user = new User { Id = Guid.CreateVersion7(), TenantId = tenantId, Email = email, DisplayName = displayName, PasswordHash = "" };
        user.PasswordHash = new PasswordHasher<User>().HashPassword(user, password);
        await ExecuteAsync("INSERT INTO users (id, tenant_id, email, display_name, password_hash, role) VALUES ($1, $2, $3, $4, $5, 'agent')",
            user.Id, tenantId, email, displayName, user.PasswordHash);
    }

    public Task SetStatusAsync(Guid tenantId, string status)
        => ExecuteAsync("UPDATE tenants SET status = $2 WHERE id = $1", tenantId, status);

    public Task SetTimeZoneAsync(Guid tenantId, string timeZone)
        => ExecuteAsync("UPDATE tenants SET time_zone = $2 WHERE id = $1", tenantId, timeZone);

    /// <summary>A conversation whose contact wrote first and the assistant answered, a minute apart, ending at <paramref name="lastAt"/>.</summary>
    public async Task<ArrangedConversation> AddConversationAsync((Guid TenantId, Guid WorkspaceId, Guid ChannelId) tenant, string contactName,
        string inboundText, string outboundText, DateTimeOffset lastAt)
    {
        var (contactId, conversationId) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var messages = new[]
        {
            new ArrangedMessage(Guid.CreateVersion7(), "inbound", "contact", inboundText, lastAt.AddMinutes(-1)),
            new ArrangedMessage(Guid.CreateVersion7(), "outbound", "assistant", outboundText, lastAt),
        };
        await ExecuteAsync("INSERT INTO contacts (id, tenant_id, channel_id, external_id, display_name) VALUES ($1, $2, $3, $4, $5)",
            contactId, tenant.TenantId, tenant.ChannelId, "5511" + Random.Shared.Next(10_000_000, 99_999_999), contactName);
        await ExecuteAsync("""
            INSERT INTO conversations (id, tenant_id, workspace_id, channel_id, contact_id, created_at, last_message_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, conversationId, tenant.TenantId, tenant.WorkspaceId, tenant.ChannelId, contactId, messages[0].CreatedAt, lastAt);
        foreach (var message in messages)
        {
            await ExecuteAsync("""
                INSERT INTO messages (id, tenant_id, conversation_id, channel_id, direction, sender, content, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, jsonb_build_object('type', 'text', 'text', $7::text), $8)
                """, message.Id, tenant.TenantId, conversationId, tenant.ChannelId, message.Direction, message.Sender, message.Text, message.CreatedAt);
        }
        return new ArrangedConversation(tenant.TenantId, conversationId, tenant.ChannelId, contactName, messages);
    }

    public async Task<ArrangedMessage> AddMessageAsync(ArrangedConversation conversation, string text, DateTimeOffset createdAt)
    {
        var message = new ArrangedMessage(Guid.CreateVersion7(), "inbound", "contact", text, createdAt);
        await ExecuteAsync("""
            INSERT INTO messages (id, tenant_id, conversation_id, channel_id, direction, sender, content, created_at)
            VALUES ($1, $2, $3, $4, 'inbound', 'contact', jsonb_build_object('type', 'text', 'text', $5::text), $6)
            """, message.Id, conversation.TenantId, conversation.ConversationId, conversation.ChannelId, text, createdAt);
        return message;
    }

    private async Task ExecuteAsync(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }
}
