using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SaasAssistants.Gateway.Webhooks;
using SaasAssistants.IntegrationTests.Gateway;
using SaasAssistants.IntegrationTests.TaskEngine.Support;
using SaasAssistants.Testing;
using Xunit;
using static SaasAssistants.IntegrationTests.Channels.WhatsAppPayloads;

namespace SaasAssistants.IntegrationTests.Channels;

/// <summary>
/// Group commit at intake (AcceptedWebhookWriter): deliveries that arrive while a write is in flight share the next
/// commit, each row under its own tenant, and every sender is answered only after that commit. The test holds a lock on
/// webhook_events so the first write cannot finish, and lets the Gateway queue the next deliveries behind it.
/// </summary>
public sealed class GroupCommitTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<(string Instrument, long Value)> _measurements = new();
    private readonly MeterListener _listener = new();
    private GatewayFactory _gateway = null!;
    private HttpClient _http = null!;
    private MetaChannel _storeA = null!;
    private MetaChannel _storeB = null!;
    private OwnerQueries _db = null!;
    private readonly List<NpgsqlConnection> _connections = [];

    public async Task InitializeAsync()
    {
        _gateway = await GatewayFactory.CreateAsync(database);
        // One write at a time, so "the next write" is one batch.
        _gateway.Settings["Intake:Writers"] = "1";
        _http = _gateway.CreateClient();
        _storeA = await MetaChannel.InsertAsync(database.OwnerConnectionString, database.EncryptionKey, "whatsapp");
        _storeB = await MetaChannel.InsertAsync(database.OwnerConnectionString, database.EncryptionKey, "whatsapp");
        _db = new OwnerQueries(database.OwnerConnectionString);

        // This Gateway's own meter only: other test classes run Gateways in this process too.
        var meterFactory = _gateway.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == IntakeMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _measurements.Enqueue((instrument.Name, value)));
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => _measurements.Enqueue((instrument.Name, value)));
        _listener.Start();
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        await _gateway.DisposeAsync();
    }

    [Fact]
    public async Task Deliveries_that_arrive_during_a_write_share_the_next_commit_each_under_its_own_tenant()
    {
        await using var blocker = await LockWebhookEventsAsync();
        var first = Post(_storeA);
        await WaitForBlockedWriteAsync();
        var queued = Enumerable.Range(0, 8).Select(i => Post(i % 2 == 0 ? _storeA : _storeB)).ToList();
        await Wait.UntilAsync(() => Queued == 8, Timeout, "8 deliveries queued behind the blocked write");
        Assert.False(first.Response.IsCompleted, "answered before its commit");

        await blocker.CommitAsync();
        var all = queued.Prepend(first).ToList();
        Assert.All(await Task.WhenAll(all.Select(post => post.Response)), response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));

        var rows = await RowsAsync(all);
        Assert.Equal(9, rows.Count);
        Assert.All(all, post => Assert.Equal(post.Channel.TenantId, rows[post.Wamid].TenantId));
        // The first write committed alone; the eight queued behind it committed together, whatever their tenants.
        Assert.Equal(2, rows.Values.Select(row => row.Transaction).Distinct().Count());
        Assert.Single(queued.Select(post => rows[post.Wamid].Transaction).Distinct());
        Assert.Equal([1, 8], BatchSizes());
        var events = await _db.ListAsync("""
            SELECT payload->>'channelMessageId', tenant_id FROM outbox_messages
            WHERE event_type = 'InboundMessageReceived' AND payload->>'channelMessageId' = ANY($1)
            """, r => (Wamid: r.GetString(0), TenantId: r.GetGuid(1)), [all.Select(post => post.Wamid).ToArray()]);
        Assert.Equal(all.Select(post => (post.Wamid, post.Channel.TenantId)).Order(), events.Order());
    }

    [Fact]
    public async Task A_delivery_that_cannot_be_written_fails_alone_and_its_batch_is_still_committed()
    {
        await using var blocker = await LockWebhookEventsAsync();
        var first = Post(_storeA);
        await WaitForBlockedWriteAsync();
        var doomed = Post(_storeB);
        var others = Enumerable.Range(0, 3).Select(_ => Post(_storeA)).ToList();
        await Wait.UntilAsync(() => Queued == 4, Timeout, "4 deliveries queued behind the blocked write");
        // The channel goes away after its delivery was resolved and accepted: its audit row now breaks a foreign key.
        await using (var delete = new NpgsqlCommand("DELETE FROM channels WHERE id = $1", blocker.Connection) { Transaction = blocker })
        {
            delete.Parameters.AddWithValue(_storeB.ChannelId);
            await delete.ExecuteNonQueryAsync();
        }

        await blocker.CommitAsync();

        Assert.All(await Task.WhenAll(others.Prepend(first).Select(post => post.Response)), response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        var failed = await doomed.Response;
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        var rows = await RowsAsync([first, doomed, .. others]);
        Assert.Equal(4, rows.Count);
        Assert.DoesNotContain(doomed.Wamid, rows.Keys);
    }

    private long Queued => _measurements.Where(m => m.Instrument == "saas.gateway.intake.queued").Sum(m => m.Value);

    private long[] BatchSizes() => [.. _measurements.Where(m => m.Instrument == "saas.gateway.intake.batch_size").Select(m => m.Value)];

    /// <summary>A transaction holding SHARE on webhook_events: every INSERT into it waits until the transaction ends.</summary>
    private async Task<NpgsqlTransaction> LockWebhookEventsAsync()
    {
        var connection = new NpgsqlConnection(database.OwnerConnectionString);
        _connections.Add(connection);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("LOCK TABLE webhook_events IN SHARE MODE", connection, transaction);
        await command.ExecuteNonQueryAsync();
        return transaction;
    }

    private Task WaitForBlockedWriteAsync() => Wait.UntilAsync(async () => await _db.SingleAsync("""
        SELECT count(*) FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO webhook_events%'
        """, r => r.GetInt64(0)) == 1, Timeout, "the first write to wait for the lock");

    private async Task<Dictionary<string, (Guid TenantId, string Transaction)>> RowsAsync(IEnumerable<Posted> posts)
    {
        var wamids = posts.Select(post => post.Wamid).ToArray();
        var rows = await _db.ListAsync("""
            SELECT substring(payload from '"id":"(wamid[^"]+)"'), tenant_id, xmin::text FROM webhook_events
            WHERE status = 'accepted' AND substring(payload from '"id":"(wamid[^"]+)"') = ANY($1)
            """, r => (Wamid: r.GetString(0), TenantId: r.GetGuid(1), Transaction: r.GetString(2)), [wamids]);
        return rows.ToDictionary(row => row.Wamid, row => (row.TenantId, row.Transaction));
    }

    private Posted Post(MetaChannel channel)
    {
        var wamid = NewWamid();
        var body = Encoding.UTF8.GetBytes(WhatsAppPayloads.Delivery(channel.ExternalId, $$"""
            "contacts":[{{Contact("5511987650000", "Ana")}}],"messages":[{{Text("5511987650000", wamid, "Oi")}}]
            """));
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/whatsapp/{channel.ChannelKey}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Hub-Signature-256", channel.Sign(body));
        return new Posted(channel, wamid, _http.SendAsync(request));
    }

    private sealed record Posted(MetaChannel Channel, string Wamid, Task<HttpResponseMessage> Response);
}
