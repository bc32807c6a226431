using System.Diagnostics;

namespace SaasAssistants.Bench.ConversationEngine;

/// <summary>The three figures of issue 9: (a) buffer precision, (b) reply overhead, (c) exactly once across a kill -9.</summary>
public static class Scenarios
{
    private const int BurstMessages = 3;

    /// <summary>Between a burst's messages (--burst-gap-ms). 0 keeps a burst together in the queue, so a consumer with a
    /// backlog cannot store one burst seconds apart, which would make it two bursts by definition.</summary>
    public static TimeSpan BurstGap { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// (a) Every conversation sends a burst at once; per ai.reply task, lateness = task created − the burst's last stored
    /// message − the buffer timeout (all PostgreSQL clock). Goal: p99 ≤ 100 ms, exactly one task per burst.
    /// </summary>
    public static async Task BufferPrecisionAsync(int conversations, int bufferMs, int processors)
    {
        Console.WriteLine($"(a) buffer precision: {conversations} conversations x {BurstMessages} messages {BurstGap.TotalMilliseconds:0} ms apart, buffer {bufferMs} ms, {processors} processor(s)");
        await using var rig = await EngineRig.CreateAsync(bufferMs);
        for (var i = 0; i < processors; i++)
        {
            await rig.StartProcessorAsync();
        }

        await SendBurstsAsync(rig, conversations);
        var total = conversations * BurstMessages;
        // Done when every message is stored and is in a task, or waits behind its conversation's reply in flight (that
        // reply's writer chains it) or for the human the reply handed the conversation to (the built-in responder with
        // no knowledge does that): a message stored after its burst's flush is a burst of its own.
        var done = await EngineRig.WaitForAsync(async () => await rig.ScalarAsync<long>(
            "SELECT count(*) FROM messages WHERE tenant_id = @tenant AND direction = 'inbound'") == total
            && await rig.ScalarAsync<long>(WaitingForTheAssistantSql) == 0, TimeSpan.FromMinutes(3));
        var waiting = await rig.ScalarAsync<long>(
            "SELECT count(*) FROM messages WHERE tenant_id = @tenant AND direction = 'inbound' AND task_id IS NULL");
        var lateness = await rig.DoublesAsync("""
            SELECT extract(epoch FROM t.created_at - max(m.created_at)) * 1000 - a.buffer_timeout_ms
            FROM tasks t JOIN messages m ON m.task_id = t.id AND m.direction = 'inbound'
            JOIN conversations c ON c.id = m.conversation_id JOIN assistants a ON a.id = c.assistant_id
            WHERE t.tenant_id = @tenant AND t.type = 'ai.reply'
            GROUP BY t.id, a.buffer_timeout_ms
            """);
        var split = await rig.ScalarAsync<long>("""
            SELECT count(*) FROM (SELECT m.conversation_id FROM messages m WHERE m.tenant_id = @tenant AND m.direction = 'inbound'
            GROUP BY m.conversation_id HAVING count(DISTINCT m.task_id) > 1) s
            """);
        Console.WriteLine($"    every message in a task, or behind a reply in flight or kept for a human: {done} ({waiting} not in a task); ai.reply tasks {lateness.Count} for {conversations} bursts; bursts split in two or more: {split}");
        Console.WriteLine($"    flush lateness: {Percentiles.Describe(lateness)}");
        Console.WriteLine($"    load: {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    /// <summary>
    /// (b) Buffer 0, one message per new conversation at a steady rate, posted as the widget posts it to a real Gateway:
    /// from the Gateway's answer (accepted: audit row and event committed), and from the request's start, to
    /// AiResponseGenerated arriving (what the Gateway pushes to the widget's SSE stream). Goal: p95 ≤ 100 ms.
    /// </summary>
    public static async Task ReplyOverheadAsync(int messages, int perSecond)
    {
        Console.WriteLine($"(b) reply overhead from the webhook: {messages} messages at {perSecond}/s, buffer 0, built-in responder, widget through a real Gateway");
        await using var rig = await EngineRig.CreateAsync(bufferTimeoutMs: 0);
        await rig.StartProcessorAsync();
        var gateway = await rig.StartGatewayAsync();
        using var widget = new WidgetClient(gateway.BaseAddress, rig.ChannelToken);

        // Warm-up, the same way: the first replies pay for JIT and connection pools in both services.
        const int warmUp = 20;
        for (var i = 0; i < warmUp; i++)
        {
            var sent = await widget.SendAsync(await widget.StartSessionAsync(), "Hello");
            if (!sent.Accepted)
            {
                throw new InvalidOperationException($"The Gateway refused a warm-up message with {sent.Status}: {string.Join(" | ", gateway.Tail(5))}");
            }
        }

        await EngineRig.WaitForAsync(() => Task.FromResult(rig.Replies.Count >= warmUp), TimeSpan.FromSeconds(60));
        // A visitor starts a session when the page loads, long before they type: not part of the reply's path.
        var sessions = new List<WidgetClient.Session>(messages);
        for (var i = 0; i < messages; i++)
        {
            sessions.Add(await widget.StartSessionAsync());
        }

        rig.Replies.Clear();
        var interval = TimeSpan.FromSeconds(1.0 / perSecond);
        var start = Stopwatch.GetTimestamp();
        var sends = new List<Task<WidgetClient.Sent>>();
        for (var i = 0; i < messages; i++)
        {
            var due = start + (long)(i * interval.TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            sends.Add(widget.SendAsync(sessions[i], "Do you open on Sundays?"));
        }

        var sentBySession = (await Task.WhenAll(sends)).ToDictionary(s => s.SessionId);
        var accepted = sentBySession.Values.Count(s => s.Accepted);
        await EngineRig.WaitForAsync(() => Task.FromResult(rig.Replies.Count >= accepted), TimeSpan.FromSeconds(60));
        var contacts = await ContactsByConversationAsync(rig);
        var measured = rig.Replies
            .Where(r => contacts.TryGetValue(r.ConversationId, out var session) && sentBySession.TryGetValue(session, out var sent) && sent.Accepted)
            .GroupBy(r => r.ConversationId)
            .Select(g => (ConversationId: g.Key, Sent: sentBySession[contacts[g.Key]], Received: g.MinBy(r => r.ReceivedAt)))
            .ToList();
        Console.WriteLine($"    accepted {accepted}/{messages} (statuses: {string.Join(", ", sentBySession.Values.GroupBy(s => s.Status).Select(g => $"{g.Count()} x {g.Key}"))}); replies received {measured.Count}/{accepted}");
        Console.WriteLine($"    webhook request -> answered (accepted): {Percentiles.Describe(sentBySession.Values.Select(s => Stopwatch.GetElapsedTime(s.StartedAt, s.AnsweredAt).TotalMilliseconds).ToList())}");
        Console.WriteLine($"    webhook accepted -> reply event received: {Percentiles.Describe(measured.Select(m => Stopwatch.GetElapsedTime(m.Sent.AnsweredAt, m.Received.ReceivedAt).TotalMilliseconds).ToList())}");
        Console.WriteLine($"    webhook request started -> reply event received: {Percentiles.Describe(measured.Select(m => Stopwatch.GetElapsedTime(m.Sent.StartedAt, m.Received.ReceivedAt).TotalMilliseconds).ToList())}");
        Console.WriteLine("    by stage (wall clock, from the rows):");
        await ReplyStages.PrintAsync(rig, measured.ToDictionary(m => m.ConversationId, m => (m.Sent.AnsweredAtUtc, m.Received.ReceivedAtUtc)));
        foreach (var line in gateway.Tail(5))
        {
            Console.WriteLine($"    gateway log: {line}");
        }

        Console.WriteLine($"    load: {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    /// <summary>
    /// (c) Two processors share the bursts; one is killed with SIGKILL halfway through and a new one started (as a
    /// supervisor would). Every message must be stored and answered, and no burst answered twice.
    /// </summary>
    public static async Task ExactlyOnceAsync(int conversations, int bufferMs)
    {
        Console.WriteLine($"(c) exactly once: {conversations} conversations x {BurstMessages} messages, buffer {bufferMs} ms, 2 processors, kill -9 of one halfway");
        await using var rig = await EngineRig.CreateAsync(bufferMs);
        var victim = await rig.StartProcessorAsync();
        await rig.StartProcessorAsync();

        var total = conversations * BurstMessages;
        var sending = SendBurstsAsync(rig, conversations);
        // Halfway: half of the messages stored, so the victim holds deliveries, buffer claims and running tasks.
        await EngineRig.WaitForAsync(async () => await rig.ScalarAsync<long>(
            "SELECT count(*) FROM messages WHERE tenant_id = @tenant AND direction = 'inbound'") >= total / 2, TimeSpan.FromMinutes(3));
        rig.Kill(victim);
        var killedAt = Stopwatch.GetTimestamp();
        Console.WriteLine($"    killed pid {victim.Pid} at {await rig.ScalarAsync<long>("SELECT count(*) FROM messages WHERE tenant_id = @tenant AND direction = 'inbound'")} stored messages");
        await sending;
        await rig.StartProcessorAsync();

        // Done when every stored message is in a task and every reply task has ended.
        var settled = await EngineRig.WaitForAsync(async () =>
            await rig.ScalarAsync<long>("SELECT count(*) FROM messages WHERE tenant_id = @tenant AND direction = 'inbound'") == total
            // As in (a): a message stored after its burst's flush (a redelivery after the kill) is a burst of its own, and
            // waits for the human the first reply handed the conversation to.
            && await rig.ScalarAsync<long>(WaitingForTheAssistantSql) == 0
            && await rig.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE tenant_id = @tenant AND type = 'ai.reply' AND status NOT IN ('Succeeded', 'DeadLetter', 'Cancelled', 'Failed')") == 0,
            TimeSpan.FromMinutes(4));
        var keptForAHuman = await rig.ScalarAsync<long>(
            "SELECT count(*) FROM messages WHERE tenant_id = @tenant AND direction = 'inbound' AND task_id IS NULL");
        await EngineRig.WaitForAsync(async () => rig.Replies.Count >= await rig.ScalarAsync<long>(
            "SELECT count(*) FROM messages WHERE tenant_id = @tenant AND direction = 'outbound'"), TimeSpan.FromSeconds(30));
        Console.WriteLine($"    settled: {settled}, {Stopwatch.GetElapsedTime(killedAt).TotalSeconds:0.0} s after the kill");

        var stored = await rig.ScalarAsync<long>("SELECT count(*) FROM messages WHERE tenant_id = @tenant AND direction = 'inbound'");
        var tasks = await rig.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE tenant_id = @tenant AND type = 'ai.reply'");
        var deadLettered = await rig.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE tenant_id = @tenant AND type = 'ai.reply' AND status <> 'Succeeded'");
        var unanswered = await rig.ScalarAsync<long>("""
            SELECT count(*) FROM tasks t WHERE t.tenant_id = @tenant AND t.type = 'ai.reply'
            AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.task_id = t.id AND m.direction = 'outbound')
            """);
        var outbound = await rig.ScalarAsync<long>("SELECT count(*) FROM messages WHERE tenant_id = @tenant AND direction = 'outbound'");
        var conversationsWithTwoReplies = await rig.ScalarAsync<long>("""
            SELECT count(*) FROM (SELECT conversation_id FROM messages WHERE tenant_id = @tenant AND direction = 'outbound'
            GROUP BY conversation_id HAVING count(*) > 1) s
            """);
        var events = rig.Replies.ToList();
        var redelivered = events.Count - events.Select(e => e.MessageId).Distinct().Count();
        Console.WriteLine($"    messages: published {total}, stored {stored}, lost {total - stored}; kept for a human (stored after their burst's reply) {keptForAHuman}");
        Console.WriteLine($"    ai.reply tasks {tasks} (not succeeded {deadLettered}), without a reply {unanswered}; replies stored {outbound}; conversations answered twice {conversationsWithTwoReplies}");
        Console.WriteLine($"    reply events received {events.Count}, of which the same reply again {redelivered}");
        Console.WriteLine($"    load: {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    /// <summary>Inbound messages no task took whose conversation neither has a reply in flight nor waits for a human.</summary>
    private const string WaitingForTheAssistantSql = """
        SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.tenant_id = @tenant AND m.direction = 'inbound' AND m.task_id IS NULL
          AND c.reply_task_id IS NULL AND c.handoff = 'assistant' AND c.status = 'open'
        """;

    /// <summary>All conversations at once, each a burst of messages <see cref="BurstGap"/> apart.</summary>
    private static Task SendBurstsAsync(EngineRig rig, int conversations) => Task.WhenAll(Enumerable.Range(0, conversations).Select(async i =>
    {
        var visitor = $"visitor-{i}-{Guid.NewGuid():N}";
        if (BurstGap == TimeSpan.Zero)
        {
            // Back to back in the queue: sent one by one, the bursts interleaved, and a consumer with a backlog then
            // stored a burst's messages seconds apart, which makes them separate bursts by definition.
            await rig.PublishBurstAsync(visitor, [.. Enumerable.Range(0, BurstMessages).Select(m => $"Message {m} of visitor {i}")]);
            return;
        }

        for (var m = 0; m < BurstMessages; m++)
        {
            if (m > 0 && BurstGap > TimeSpan.Zero)
            {
                await Task.Delay(BurstGap);
            }

            await rig.PublishAsync(visitor, $"Message {m} of visitor {i}");
        }
    }));

    private static async Task<Dictionary<Guid, string>> ContactsByConversationAsync(EngineRig rig)
    {
        await using var connection = new Npgsql.NpgsqlConnection(rig.Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT c.id, k.external_id FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE c.tenant_id = @tenant", connection);
        command.Parameters.AddWithValue("tenant", rig.TenantId);
        var map = new Dictionary<Guid, string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            map[reader.GetGuid(0)] = reader.GetString(1);
        }

        return map;
    }
}
