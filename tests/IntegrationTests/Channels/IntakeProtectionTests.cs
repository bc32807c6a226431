using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.Gateway.Webhooks.Retention;
using SaasAssistants.IntegrationTests.Gateway;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Channels;

/// <summary>What keeps the webhook audit from growing without bound: the anonymous per-IP limit and the retention job.</summary>
public sealed class IntakeProtectionTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private GatewayFactory _gateway = null!;
    private MetaChannel _channel = null!;
    private OwnerQueries _db = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayFactory.CreateAsync(database);
        _gateway.Settings["RateLimits:Anonymous:RejectionsPerMinute"] = "3";
        _channel = await MetaChannel.InsertAsync(database.OwnerConnectionString, database.EncryptionKey, "whatsapp");
        _db = new OwnerQueries(database.OwnerConnectionString);
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Past_its_per_IP_budget_an_unauthenticated_request_is_refused_before_any_row_is_written_and_signed_ones_still_pass()
    {
        var http = _gateway.CreateClient();
        var marker = Guid.NewGuid().ToString("N");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await http.PostAsync($"/v1/webhooks/whatsapp/wa_unknown_{i}", new StringContent($"{{\"marker\":\"{marker}\"}}"))).StatusCode);
        }
        // A wrong signature on a real channel counts against the same budget.
        for (var i = 0; i < 2; i++)
        {
            statuses.Add((await http.PostAsync($"/v1/webhooks/whatsapp/{_channel.ChannelKey}", new StringContent($"{{\"marker\":\"{marker}\"}}"))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(3, (await _db.ListAsync("SELECT 1 FROM webhook_events WHERE payload LIKE '%' || $1 || '%'", r => 1, marker)).Count);

        var body = WhatsAppPayloads.Delivery(_channel.ExternalId, $"\"messages\":[{WhatsAppPayloads.Text("5511900003333", WhatsAppPayloads.NewWamid(), "oi")}]");
        var bytes = Encoding.UTF8.GetBytes(body);
        var signed = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/whatsapp/{_channel.ChannelKey}") { Content = new ByteArrayContent(bytes) };
        signed.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        signed.Headers.Add("X-Hub-Signature-256", _channel.Sign(bytes));
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(signed)).StatusCode);
    }

    [Fact]
    public async Task Retention_drops_payloads_after_30_days_and_rows_after_90()
    {
        _gateway.CreateClient();
        var (recent, monthOld, quarterOld) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        foreach (var (id, days, tenant) in new[] { (recent, 1, (Guid?)_channel.TenantId), (monthOld, 40, _channel.TenantId), (quarterOld, 100, null) })
        {
            await _db.ExecuteAsync("""
                INSERT INTO webhook_events (id, tenant_id, channel_type, status, payload, received_at)
                VALUES ($1, $2, 'whatsapp', CASE WHEN $2::uuid IS NULL THEN 'rejected' ELSE 'accepted' END, '{"raw":true}', now() - make_interval(days => $3))
                """, id, tenant, days);
        }

        // The hosted job also runs once at start-up, possibly after the rows above went in: the counts returned here
        // depend on that race, the rows' state does not.
        await _gateway.Services.GetRequiredService<WebhookRetentionJob>().RunOnceAsync(CancellationToken.None);

        Assert.False(await _db.SingleAsync("SELECT payload IS NULL FROM webhook_events WHERE id = $1", r => r.GetBoolean(0), recent));
        Assert.True(await _db.SingleAsync("SELECT payload IS NULL FROM webhook_events WHERE id = $1", r => r.GetBoolean(0), monthOld));
        Assert.Empty(await _db.ListAsync("SELECT 1 FROM webhook_events WHERE id = $1", r => 1, quarterOld));
    }
}
