using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SaasAssistants.IntegrationTests.Gateway;
using SaasAssistants.Testing;
using Xunit;
using static SaasAssistants.IntegrationTests.Channels.WhatsAppPayloads;

namespace SaasAssistants.IntegrationTests.Channels;

/// <summary>
/// Each plan has its own webhooks per minute and per day (RateLimits:Plans), counted per tenant in Redis. Over the
/// limit a Meta delivery is refused with 429 and audited, so Meta redelivers it later: nothing is lost.
/// </summary>
public sealed class PlanRateLimitTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private GatewayFactory _gateway = null!;
    private OwnerQueries _db = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayFactory.CreateAsync(database);
        _gateway.Settings["RateLimits:Plans:trial:PerDay"] = "2";
        _gateway.Settings["RateLimits:Plans:starter:PerMinute"] = "1";
        _db = new OwnerQueries(database.OwnerConnectionString);
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_trial_tenant_past_its_day_is_refused_and_audited_while_a_pro_tenant_goes_on()
    {
        var trial = await ChannelOnPlanAsync("trial");
        var pro = await ChannelOnPlanAsync("pro");
        var http = _gateway.CreateClient();

        var trialStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            trialStatuses.Add(await PostAsync(http, trial, NewWamid()));
        }
        var proStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            proStatuses.Add(await PostAsync(http, pro, NewWamid()));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], trialStatuses);
        Assert.All(proStatuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(["accepted", "accepted", "rejected:rate_limited"], await _db.ListAsync(
            "SELECT status || COALESCE(':' || rejection_reason, '') FROM webhook_events WHERE channel_id = $1 ORDER BY received_at", r => r.GetString(0), trial.ChannelId));
    }

    [Fact]
    public async Task A_starter_tenant_is_held_to_its_plans_minute()
    {
        var starter = await ChannelOnPlanAsync("starter");
        var http = _gateway.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, starter, NewWamid()));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync(http, starter, NewWamid()));
    }

    private async Task<MetaChannel> ChannelOnPlanAsync(string plan)
    {
        var channel = await MetaChannel.InsertAsync(database.OwnerConnectionString, database.EncryptionKey, "whatsapp");
        await _db.ExecuteAsync("UPDATE tenants SET plan = $1 WHERE id = $2", plan, channel.TenantId);
        return channel;
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, MetaChannel channel, string wamid)
    {
        var bytes = Encoding.UTF8.GetBytes(Delivery(channel.ExternalId, $"\"messages\":[{Text("5511900004444", wamid, "oi")}]"));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/whatsapp/{channel.ChannelKey}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Hub-Signature-256", channel.Sign(bytes));
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
