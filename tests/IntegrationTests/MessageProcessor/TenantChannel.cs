using Npgsql;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Messages;

namespace SaasAssistants.IntegrationTests.MessageProcessor;

/// <summary>
/// A tenant with one web channel answered by an assistant, written as the owner (row level security does not apply to
/// it), and the inbound events a visitor of that channel would cause.
/// </summary>
public sealed record TenantChannel(Guid TenantId, Guid WorkspaceId, Guid AssistantId, Guid ChannelId, string Greeting)
{
    public static async Task<TenantChannel> InsertAsync(string ownerConnectionString, string name, bool withAssistant = true, int bufferTimeoutMs = 3000)
    {
        var seed = new TenantChannel(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(),
            $"Olá! Aqui é a {name}.");
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO tenants (id, name) VALUES (@tenant, @name);
            INSERT INTO workspaces (id, tenant_id, name) VALUES (@workspace, @tenant, 'Main');
            INSERT INTO assistants (id, tenant_id, workspace_id, name, system_prompt, greeting, buffer_timeout_ms)
                VALUES (@assistant, @tenant, @workspace, 'Assistant', 'You answer the customers of ' || @name || '.', @greeting, @buffer);
            INSERT INTO channels (id, tenant_id, workspace_id, assistant_id, type, name, public_token, secret_encrypted)
                VALUES (@channel, @tenant, @workspace, CASE WHEN @withAssistant THEN @assistant END, 'web', 'Site', @token, '\x01');
            """, connection);
        command.Parameters.AddWithValue("tenant", seed.TenantId);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("workspace", seed.WorkspaceId);
        command.Parameters.AddWithValue("assistant", seed.AssistantId);
        command.Parameters.AddWithValue("greeting", seed.Greeting);
        command.Parameters.AddWithValue("channel", seed.ChannelId);
        command.Parameters.AddWithValue("withAssistant", withAssistant);
        command.Parameters.AddWithValue("buffer", bufferTimeoutMs);
        command.Parameters.AddWithValue("token", "wc_" + Guid.NewGuid().ToString("N"));
        await command.ExecuteNonQueryAsync();
        return seed;
    }

    /// <summary>A visitor's message as the Gateway would publish it; each call is a new channel message.</summary>
    public InboundMessageReceived Inbound(string visitor, string text, string? visitorName = null) => new()
    {
        TenantId = TenantId,
        WebhookEventId = Guid.CreateVersion7(),
        WorkspaceId = WorkspaceId,
        ChannelId = ChannelId,
        ChannelType = ChannelType.Web,
        ExternalContactId = visitor,
        ContactName = visitorName,
        ChannelMessageId = "wm_" + Guid.NewGuid().ToString("N"),
        Content = MessageContent.FromText(text),
        SentAt = DateTimeOffset.UtcNow,
    };
}
