using Npgsql;

namespace SaasAssistants.IntegrationTests.Conversations;

/// <summary>Rows written as the owner (past row level security): tenants, agents, conversations on each kind of channel.</summary>
public sealed class ConversationRows(string ownerConnectionString)
{
    public async Task<RowsTenant> AddTenantAsync()
    {
        var tenant = new RowsTenant(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        await ExecuteAsync("INSERT INTO tenants (id, name) VALUES ($1, 'Loja')", tenant.TenantId);
        await ExecuteAsync("INSERT INTO workspaces (id, tenant_id, name) VALUES ($2, $1, 'Main')", tenant.TenantId, tenant.WorkspaceId);
        await ExecuteAsync("INSERT INTO assistants (id, tenant_id, workspace_id, name, system_prompt) VALUES ($3, $1, $2, 'Bot', 'Be kind.')",
            tenant.TenantId, tenant.WorkspaceId, tenant.AssistantId);
        return tenant;
    }

    public async Task<Guid> AddAgentAsync(RowsTenant tenant)
    {
        var id = Guid.CreateVersion7();
        await ExecuteAsync("INSERT INTO users (id, tenant_id, email, display_name, password_hash) VALUES ($1, $2, $3, 'Ana', 'x')",
            id, tenant.TenantId, $"ana-{id:N}@example.com");
        return id;
    }

    /// <summary>A channel of <paramref name="type"/> (provider meta or twilio for WhatsApp/Instagram).</summary>
    public async Task<Guid> AddChannelAsync(RowsTenant tenant, string type, string? provider = null)
    {
        var id = Guid.CreateVersion7();
        await ExecuteAsync("""
            INSERT INTO channels (id, tenant_id, workspace_id, type, name, public_token, secret_encrypted, provider, external_id)
            VALUES ($1, $2, $3, $4, $4, 'ch_' || $1::text, '\x00', $5, 'phone-1')
            """, id, tenant.TenantId, tenant.WorkspaceId, type, (object?)provider ?? DBNull.Value);
        return id;
    }

    /// <summary>An open conversation whose customer last wrote at <paramref name="customerWroteAt"/>; with the tenant's assistant unless told.</summary>
    public async Task<RowsConversation> AddConversationAsync(RowsTenant tenant, Guid channelId, DateTimeOffset customerWroteAt, bool withAssistant = true)
    {
        var (contactId, conversationId) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var externalId = "5511" + Random.Shared.Next(10_000_000, 99_999_999);
        await ExecuteAsync("INSERT INTO contacts (id, tenant_id, channel_id, external_id, display_name) VALUES ($1, $2, $3, $4, 'Maria')",
            contactId, tenant.TenantId, channelId, externalId);
        await ExecuteAsync("""
            INSERT INTO conversations (id, tenant_id, workspace_id, channel_id, contact_id, assistant_id, created_at, last_message_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
            """, conversationId, tenant.TenantId, tenant.WorkspaceId, channelId, contactId,
            withAssistant ? tenant.AssistantId : DBNull.Value, customerWroteAt);
        await ExecuteAsync("""
            INSERT INTO messages (id, tenant_id, conversation_id, channel_id, direction, sender, content, created_at)
            VALUES (gen_random_uuid(), $1, $2, $3, 'inbound', 'contact', '{"type":"text","text":"Oi"}', $4)
            """, tenant.TenantId, conversationId, channelId, customerWroteAt);
        return new RowsConversation(tenant.TenantId, conversationId, contactId, channelId, externalId);
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        await using var command = Command(sql, connection, values);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        await using var command = Command(sql, connection, values);
        await command.ExecuteNonQueryAsync();
    }

    private static NpgsqlCommand Command(string sql, NpgsqlConnection connection, object[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return command;
    }
}

public sealed record RowsTenant(Guid TenantId, Guid WorkspaceId, Guid AssistantId);

public sealed record RowsConversation(Guid TenantId, Guid ConversationId, Guid ContactId, Guid ChannelId, string ContactExternalId);
