using Npgsql;
using SaasAssistants.Database.ApiKeys;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>
/// Rows written as the owner (past row level security), the way the other services and the admin area would write them.
/// Keys are made with the product's own <see cref="ApiKeyFormat"/>, so the tests present keys exactly as partners would.
/// </summary>
public sealed class ApiArrangement(string ownerConnectionString)
{
    public async Task<ApiTenant> AddTenantAsync(string name, string status = "active")
    {
        var (tenantId, workspaceId, channelId) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        await ExecuteAsync("INSERT INTO tenants (id, name, status) VALUES ($1, $2, $3)", tenantId, name, status);
        await ExecuteAsync("INSERT INTO workspaces (id, tenant_id, name) VALUES ($2, $1, 'Main')", tenantId, workspaceId);
        await ExecuteAsync("""
            INSERT INTO channels (id, tenant_id, workspace_id, type, name, public_token, secret_encrypted)
            VALUES ($3, $1, $2, 'whatsapp', 'WhatsApp', 'wa_' || $3::text, '\x00')
            """, tenantId, workspaceId, channelId);
        var (apiKey, apiKeyId) = await AddApiKeyAsync(tenantId);
        return new ApiTenant(tenantId, workspaceId, channelId, apiKey, apiKeyId);
    }

    /// <param name="scopes">The scopes the key grants; null grants every scope.</param>
    public async Task<(string Key, Guid Id)> AddApiKeyAsync(Guid tenantId, bool revoked = false, string[]? scopes = null)
    {
        var key = ApiKeyFormat.Generate();
        ApiKeyFormat.TryGetPrefix(key, out var prefix);
        var id = Guid.CreateVersion7();
        await ExecuteAsync("""
            INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash, revoked_at, scopes)
            VALUES ($1, $2, 'test key', $3, $4, CASE WHEN $5 THEN now() END, $6)
            """, id, tenantId, prefix, ApiKeyFormat.Hash(key), revoked, (object?)scopes ?? DBNull.Value);
        return (key, id);
    }

    /// <summary>A conversation whose contact wrote first and the assistant answered a minute later, at <paramref name="lastAt"/>.</summary>
    public async Task<ApiConversation> AddConversationAsync(ApiTenant tenant, string contactName, DateTimeOffset lastAt)
    {
        var (contactId, conversationId) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var externalId = "5511" + Random.Shared.Next(10_000_000, 99_999_999);
        // The outbound one is inserted first, so "oldest first" must come from created_at, not from insertion order.
        var messages = new[]
        {
            new ApiMessage(Guid.CreateVersion7(), "inbound", "contact", $"Hello from {contactName}", null, lastAt.AddMinutes(-1)),
            new ApiMessage(Guid.CreateVersion7(), "outbound", "assistant", $"Hi {contactName}, how can I help?", "test-model", lastAt),
        };
        await ExecuteAsync("INSERT INTO contacts (id, tenant_id, channel_id, external_id, display_name) VALUES ($1, $2, $3, $4, $5)",
            contactId, tenant.TenantId, tenant.ChannelId, externalId, contactName);
        await ExecuteAsync("""
            INSERT INTO conversations (id, tenant_id, workspace_id, channel_id, contact_id, created_at, last_message_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, conversationId, tenant.TenantId, tenant.WorkspaceId, tenant.ChannelId, contactId, messages[0].CreatedAt, lastAt);
        foreach (var message in Enumerable.Reverse(messages))
        {
            await ExecuteAsync("""
                INSERT INTO messages (id, tenant_id, conversation_id, channel_id, direction, sender, content, model, created_at, delivery_status)
                VALUES ($1, $2, $3, $4, $5, $6, jsonb_build_object('type', 'text', 'text', $7::text), $8, $9,
                        CASE WHEN $5 = 'outbound' THEN 'delivered' END)
                """, message.Id, tenant.TenantId, conversationId, tenant.ChannelId, message.Direction, message.Sender, message.Text,
                (object?)message.Model ?? DBNull.Value, message.CreatedAt);
        }
        return new ApiConversation(conversationId, contactId, externalId, contactName, lastAt, messages);
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
