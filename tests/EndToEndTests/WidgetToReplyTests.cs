using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace SaasAssistants.EndToEndTests;

/// <summary>
/// The walking skeleton over real HTTP: the widget's calls to the Gateway, the reply over its live stream, and the same
/// conversation through the PublicApi, with RabbitMQ, the outbox relays and the MessageProcessor in between.
/// </summary>
[Collection(RunningSystem.Collection)]
public sealed class WidgetToReplyTests(RunningSystem system, ITestOutputHelper output)
{
    [Fact]
    public async Task A_widget_message_is_answered_live_and_the_exchange_is_visible_through_the_public_api()
    {
        output.WriteLine($"system ready in {system.TimeToReady.TotalSeconds:0.0} s");
        using var gateway = new HttpClient { BaseAddress = system.Gateway };
        var channel = system.Seed.WebChannelToken;
        var session = JsonDocument.Parse(await (await gateway.PostAsync($"/v1/widget/{channel}/sessions", null)).EnsureSuccessStatusCode()
            .Content.ReadAsStringAsync()).RootElement;
        var sessionId = session.GetProperty("sessionId").GetString()!;
        var sessionToken = session.GetProperty("sessionToken").GetString()!;

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var events = await gateway.SendAsync(new HttpRequestMessage(HttpMethod.Get,
            $"/v1/widget/{channel}/sessions/{sessionId}/events?token={Uri.EscapeDataString(sessionToken)}"),
            HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var stream = new StreamReader(await events.EnsureSuccessStatusCode().Content.ReadAsStreamAsync(timeout.Token));
        await ReadUntilEventAsync(stream, "ready", timeout.Token);

        var clock = Stopwatch.StartNew();
        var post = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/web/{channel}")
        {
            Content = JsonContent.Create(new { sessionId, messageId = Guid.NewGuid().ToString(), text = "What time do you open?" }),
        };
        post.Headers.Add("X-Widget-Session", sessionToken);
        Assert.Equal(HttpStatusCode.Accepted, (await gateway.SendAsync(post, timeout.Token)).StatusCode);

        var reply = JsonDocument.Parse(await ReadUntilEventAsync(stream, "message", timeout.Token)).RootElement;
        output.WriteLine($"widget POST to reply on the live stream: {clock.ElapsedMilliseconds} ms");
        Assert.Equal("outbound", reply.GetProperty("direction").GetString());
        Assert.False(string.IsNullOrWhiteSpace(reply.GetProperty("text").GetString()));

        using var api = new HttpClient { BaseAddress = system.PublicApi };
        api.DefaultRequestHeaders.Add("X-Api-Key", system.Seed.ApiKey);
        var conversation = await Eventually.ValueAsync(async () =>
        {
            var list = JsonDocument.Parse(await api.GetStringAsync("/api/v1/conversations")).RootElement;
            return list.EnumerateArray().Where(c => c.GetProperty("contact").GetProperty("externalId").GetString() == sessionId)
                .Select(c => (JsonElement?)c).FirstOrDefault() is { } found ? (object)found : null;
        }, TimeSpan.FromSeconds(10), "the conversation in the public API");
        var conversationId = ((JsonElement)conversation).GetProperty("id").GetGuid();
        var messages = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/conversations/{conversationId}/messages")).RootElement
            .EnumerateArray().Select(m => (Direction: m.GetProperty("direction").GetString(), Text: m.GetProperty("text").GetString())).ToList();
        Assert.Equal([("inbound", "What time do you open?"), ("outbound", reply.GetProperty("text").GetString())], messages);
    }

    [Fact]
    public async Task The_public_api_refuses_a_missing_key_with_a_problem()
    {
        using var api = new HttpClient { BaseAddress = system.PublicApi };
        var response = await api.GetAsync("/api/v1/conversations");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<string> ReadUntilEventAsync(StreamReader stream, string eventName, CancellationToken cancellationToken)
    {
        string? current = null;
        while (await stream.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event:"))
            {
                current = line[6..].Trim();
            }
            else if (line.StartsWith("data:") && current == eventName)
            {
                return line[5..].Trim();
            }
        }
        throw new EndOfStreamException($"The stream ended before a '{eventName}' event.");
    }
}
