using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SaasAssistants.IntegrationTests.Gateway;
using SaasAssistants.Testing;
using Xunit;
using static SaasAssistants.IntegrationTests.Channels.WhatsAppPayloads;

namespace SaasAssistants.IntegrationTests.Channels;

/// <summary>
/// The Gateway keeps resolved channels in memory (minutes); a change in the database reaches it as a notification
/// (migration 0019), so a webhook after the change is judged by the new state, not by the cached one.
/// </summary>
public sealed class ChannelChangeTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    // Far below the cache's lifetime: only the notification can make these waits succeed.
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);
    private GatewayFactory _gateway = null!;
    private HttpClient _http = null!;
    private MetaChannel _channel = null!;
    private OwnerQueries _db = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayFactory.CreateAsync(database);
        _http = _gateway.CreateClient();
        _channel = await MetaChannel.InsertAsync(database.OwnerConnectionString, database.EncryptionKey, "whatsapp");
        _db = new OwnerQueries(database.OwnerConnectionString);
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_disabled_channel_stops_accepting_at_once_and_enabled_again_accepts()
    {
        Assert.Equal(HttpStatusCode.OK, await PostAsync(_channel.ChannelKey));

        await _db.ExecuteAsync("UPDATE channels SET status = 'disabled' WHERE id = $1", _channel.ChannelId);
        await UntilAsync(_channel.ChannelKey, HttpStatusCode.Forbidden);

        await _db.ExecuteAsync("UPDATE channels SET status = 'active' WHERE id = $1", _channel.ChannelId);
        await UntilAsync(_channel.ChannelKey, HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_key_cached_as_unknown_answers_once_a_channel_takes_it_and_the_old_key_stops()
    {
        var newKey = "wa_" + Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.OK, await PostAsync(_channel.ChannelKey));
        Assert.Equal(HttpStatusCode.NotFound, await PostAsync(newKey));

        await _db.ExecuteAsync("UPDATE channels SET public_token = $1 WHERE id = $2", newKey, _channel.ChannelId);

        await UntilAsync(newKey, HttpStatusCode.OK);
        await UntilAsync(_channel.ChannelKey, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_suspended_tenant_stops_accepting_at_once()
    {
        Assert.Equal(HttpStatusCode.OK, await PostAsync(_channel.ChannelKey));

        await _db.ExecuteAsync("UPDATE tenants SET status = 'suspended' WHERE id = $1", _channel.TenantId);

        await UntilAsync(_channel.ChannelKey, HttpStatusCode.Forbidden);
    }

    /// <summary>Posts until the answer is <paramref name="expected"/>; fails after <see cref="Within"/>.</summary>
    private async Task UntilAsync(string channelKey, HttpStatusCode expected)
    {
        var waited = Stopwatch.StartNew();
        HttpStatusCode status;
        while ((status = await PostAsync(channelKey)) != expected && waited.Elapsed < Within)
        {
            await Task.Delay(50);
        }
        Assert.Equal(expected, status);
    }

    private async Task<HttpStatusCode> PostAsync(string channelKey)
    {
        var body = Encoding.UTF8.GetBytes(Delivery(_channel.ExternalId, $$"""
            "contacts":[{{Contact("5511987650000", "Rita")}}],"messages":[{{Text("5511987650000", NewWamid(), "Oi")}}]
            """));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/whatsapp/{channelKey}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Hub-Signature-256", _channel.Sign(body));
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }
}
