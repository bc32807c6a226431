using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using SaasAssistants.IntegrationTests.MessageProcessor;
using SaasAssistants.MessageProcessor.Buffering;
using SaasAssistants.MessageProcessor.Conversations;
using SaasAssistants.Testing;
using Xunit;
using Xunit.Abstractions;

namespace SaasAssistants.IntegrationTests.ConversationEngine;

/// <summary>
/// The buffer end to end with its real flusher running: many conversations each send a burst, and each burst becomes
/// exactly one ai.reply task, created shortly after the conversation went quiet for its timeout. A small-scale
/// version of bench figure (a); the lateness bound here is loose because the test machine is shared.
/// </summary>
public sealed class BufferPrecisionTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    private const int Conversations = 200;
    private const int BufferMs = 300;

    [Fact]
    public async Task Every_burst_becomes_one_reply_task_soon_after_its_quiet_period()
    {
        using var host = await EngineHost.CreateAsync(database);
        var tenant = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Busy Bakery", bufferTimeoutMs: BufferMs);
        var flusher = host.Services.GetServices<IHostedService>().OfType<ReplyBufferFlusher>().Single();
        await flusher.StartAsync(CancellationToken.None);
        try
        {
            // Bursts of three messages 50 ms apart, all conversations at once.
            await Task.WhenAll(Enumerable.Range(0, Conversations).Select(async i =>
            {
                var visitor = $"visitor-{i}-{Guid.NewGuid():N}";
                for (var m = 0; m < 3; m++)
                {
                    await using var scope = host.Services.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<InboundMessageHandler>().HandleAsync(tenant.Inbound(visitor, $"Mensagem {m}"), CancellationToken.None);
                    await Task.Delay(50);
                }
            }));

            var rows = new StoredRows(database.OwnerConnectionString, tenant.TenantId);
            await Wait.ForAsync(async () => (await rows.TasksAsync("ai.reply")).Count, count => count >= Conversations, TimeSpan.FromSeconds(60), "a reply task per conversation");
        }
        finally
        {
            await flusher.StopAsync(CancellationToken.None);
        }

        // Lateness = task created − last message of its burst − the buffer timeout, per conversation.
        await using var owner = new NpgsqlConnection(database.OwnerConnectionString);
        await owner.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT c.id, count(DISTINCT t.id), count(m.id),
                   extract(epoch FROM min(t.created_at) - max(m.created_at)) * 1000 - @buffer
            FROM conversations c
            JOIN messages m ON m.conversation_id = c.id AND m.direction = 'inbound'
            LEFT JOIN tasks t ON t.id = m.task_id
            WHERE c.tenant_id = @tenant
            GROUP BY c.id
            """, owner);
        command.Parameters.AddWithValue("tenant", tenant.TenantId);
        command.Parameters.AddWithValue("buffer", (double)BufferMs);
        var lateness = new List<double>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                Assert.Equal(1, reader.GetInt64(1));
                Assert.Equal(3, reader.GetInt64(2));
                lateness.Add(reader.GetDouble(3));
            }
        }
        lateness.Sort();
        double P(double q) => lateness[(int)Math.Min(lateness.Count - 1, Math.Ceiling(q * lateness.Count) - 1)];
        output.WriteLine($"{lateness.Count} bursts, flush lateness ms: min {lateness[0]:0} p50 {P(0.5):0} p95 {P(0.95):0} p99 {P(0.99):0} max {lateness[^1]:0}");
        Assert.Equal(Conversations, lateness.Count);
        // Never early: a burst is flushed only after its quiet period.
        Assert.True(lateness[0] >= -5, $"a burst was flushed {-lateness[0]:0} ms early");
        Assert.True(P(0.99) <= 1000, $"p99 lateness {P(0.99):0} ms");
    }
}
