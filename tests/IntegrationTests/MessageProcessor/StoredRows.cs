using System.Text.Json;
using Npgsql;
using SaasAssistants.Contracts;

namespace SaasAssistants.IntegrationTests.MessageProcessor;

public sealed record StoredContact(Guid Id, Guid ChannelId, string ExternalId, string? DisplayName);

public sealed record StoredConversation(Guid Id, Guid ContactId, Guid? AssistantId, string Status, DateTimeOffset LastMessageAt, string State = "",
    string Handoff = "", string? HandoffReason = null, Guid? ReplyTaskId = null, int Version = 0, string? Summary = null);

public sealed record StoredMessage(Guid Id, Guid ConversationId, string Direction, string Sender, string? ChannelMessageId, string? Text,
    string? Model, DateTimeOffset CreatedAt, Guid? TaskId = null);

public sealed record StoredTask(Guid Id, string Type, string Status, string Payload);

public sealed record StoredEvent(Guid Id, string EventType, string Payload)
{
    public T As<T>() => JsonSerializer.Deserialize<T>(Payload, ContractJson.Options)!;
}

/// <summary>One tenant's conversation rows as the owner sees them (row level security does not hide anything from it).</summary>
public sealed class StoredRows(string ownerConnectionString, Guid tenantId)
{
    public Task<List<StoredContact>> ContactsAsync() => QueryAsync(
        "SELECT id, channel_id, external_id, display_name FROM contacts WHERE tenant_id = @tenant ORDER BY created_at, id",
        r => new StoredContact(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3)));

    public Task<List<StoredConversation>> ConversationsAsync() => QueryAsync(
        """
        SELECT id, contact_id, assistant_id, status, last_message_at, state, handoff, handoff_reason, reply_task_id, version, summary
        FROM conversations WHERE tenant_id = @tenant ORDER BY created_at, id
        """,
        r => new StoredConversation(r.GetGuid(0), r.GetGuid(1), r.IsDBNull(2) ? null : r.GetGuid(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4),
            r.GetString(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetGuid(8), r.GetInt32(9),
            r.IsDBNull(10) ? null : r.GetString(10)));

    public async Task<List<StoredTask>> TasksAsync(string? type = null) => (await QueryAsync(
        "SELECT id, type, status, payload::text FROM tasks WHERE tenant_id = @tenant ORDER BY created_at, id",
        r => new StoredTask(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3))))
        .Where(task => type is null || task.Type == type).ToList();

    public Task<List<StoredMessage>> MessagesAsync() => QueryAsync(
        """
        SELECT id, conversation_id, direction, sender, channel_message_id, content->>'text', model, created_at, task_id
        FROM messages WHERE tenant_id = @tenant ORDER BY created_at, id
        """,
        r => new StoredMessage(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
            r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetFieldValue<DateTimeOffset>(7),
            r.IsDBNull(8) ? null : r.GetGuid(8)));

    public Task<List<StoredEvent>> OutboxAsync() => QueryAsync(
        "SELECT id, event_type, payload::text FROM outbox_messages WHERE tenant_id = @tenant ORDER BY created_at, id",
        r => new StoredEvent(r.GetGuid(0), r.GetString(1), r.GetString(2)));

    private async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("tenant", tenantId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
