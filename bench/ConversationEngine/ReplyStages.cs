using Npgsql;

namespace SaasAssistants.Bench.ConversationEngine;

/// <summary>
/// Where figure (b)'s time goes, per reply, from the rows the product writes anyway (one machine, one clock): the
/// inbound event's publish by the Gateway's outbox relay, the inbound message's stored time (its handler started), the task's creation (same handler), the TaskQueued wake-up's
/// publish by the outbox relay, the task's claim (tasks.started_at), the reply's stored time, the reply event's publish,
/// and the bench's own times: the webhook's answer (accepted) and the reply event's arrival.
/// </summary>
public static class ReplyStages
{
    private const string Sql = """
        SELECT c.id, m.created_at, t.created_at, tq.published_at, t.started_at, r.created_at, ao.published_at, io.published_at
        FROM conversations c
        JOIN messages m ON m.conversation_id = c.id AND m.direction = 'inbound'
        JOIN tasks t ON t.id = m.task_id
        JOIN messages r ON r.task_id = t.id AND r.direction = 'outbound'
        LEFT JOIN outbox_messages io ON io.event_type = 'InboundMessageReceived' AND io.payload->>'channelMessageId' = m.channel_message_id
        LEFT JOIN outbox_messages tq ON tq.event_type = 'TaskQueued' AND tq.payload->>'taskId' = t.id::text
        LEFT JOIN outbox_messages ao ON ao.event_type = 'AiResponseGenerated' AND ao.payload->>'messageId' = r.id::text
        WHERE c.tenant_id = @tenant
        """;

    public static async Task PrintAsync(EngineRig rig, IReadOnlyDictionary<Guid, (DateTimeOffset Accepted, DateTimeOffset Received)> measured)
    {
        var stages = new (string Name, List<double> Values)[]
        {
            // published_at is set once the broker confirmed, the 2xx once the commit returned: either can come first.
            ("webhook accepted -> inbound event published (NOTIFY, Gateway relay, confirm)", []),
            ("inbound event published -> handler started (queue, consumer)", []),
            ("handler started -> reply task created", []),
            ("task created -> TaskQueued published (commit, relay)", []),
            ("task created -> task claimed (wake-up, claim)", []),
            ("task claimed -> reply stored (responder, writer)", []),
            ("reply stored -> reply event published (commit, relay)", []),
            ("reply event published -> received (RabbitMQ)", []),
        };
        await using var connection = new NpgsqlConnection(rig.Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.AddWithValue("tenant", rig.TenantId);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (!measured.TryGetValue(reader.GetGuid(0), out var ends))
            {
                continue;
            }

            var handled = reader.GetFieldValue<DateTimeOffset>(1);
            var created = reader.GetFieldValue<DateTimeOffset>(2);
            var claimed = reader.GetFieldValue<DateTimeOffset>(4);
            var stored = reader.GetFieldValue<DateTimeOffset>(5);
            if (!reader.IsDBNull(7))
            {
                var inboundPublished = reader.GetFieldValue<DateTimeOffset>(7);
                Add(0, ends.Accepted, inboundPublished);
                Add(1, inboundPublished, handled);
            }

            Add(2, handled, created);
            if (!reader.IsDBNull(3))
            {
                Add(3, created, reader.GetFieldValue<DateTimeOffset>(3));
            }

            Add(4, created, claimed);
            Add(5, claimed, stored);
            if (!reader.IsDBNull(6))
            {
                var published = reader.GetFieldValue<DateTimeOffset>(6);
                Add(6, stored, published);
                Add(7, published, ends.Received);
            }
        }

        foreach (var (name, values) in stages)
        {
            Console.WriteLine($"      {name}: {Percentiles.Describe(values)}");
        }

        void Add(int stage, DateTimeOffset from, DateTimeOffset to) => stages[stage].Values.Add((to - from).TotalMilliseconds);
    }
}
