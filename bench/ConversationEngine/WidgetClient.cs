using System.Diagnostics;
using System.Net.Http.Json;

namespace SaasAssistants.Bench.ConversationEngine;

/// <summary>
/// The web widget's two calls, over real HTTP to the Gateway: start a visitor session (POST /v1/widget/{token}/sessions)
/// and post a visitor's message to the web webhook with the session's signed token, as widget.js does.
/// </summary>
public sealed class WidgetClient(Uri gateway, string channelToken) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<Session> StartSessionAsync()
    {
        using var response = await _http.PostAsync($"/v1/widget/{channelToken}/sessions", content: null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Session>())!;
    }

    /// <summary>Posts one message; returns when the request started and when the Gateway answered (accepted = 2xx).</summary>
    public async Task<Sent> SendAsync(Session session, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/web/{channelToken}")
        {
            Content = JsonContent.Create(new { session.SessionId, MessageId = "wm_" + Guid.NewGuid().ToString("N"), Text = text }),
        };
        request.Headers.Add("X-Widget-Session", session.SessionToken);
        var startedAt = Stopwatch.GetTimestamp();
        var startedAtUtc = DateTimeOffset.UtcNow;
        using var response = await _http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var answeredAt = Stopwatch.GetTimestamp();
        var answeredAtUtc = DateTimeOffset.UtcNow;
        return new Sent(session.SessionId, (int)response.StatusCode, startedAt, startedAtUtc, answeredAt, answeredAtUtc);
    }

    public void Dispose() => _http.Dispose();

    public sealed record Session(string SessionId, string SessionToken);

    /// <summary>One message: Stopwatch ticks for the latencies, wall clock to compare with the rows' timestamps.</summary>
    public sealed record Sent(string SessionId, int Status, long StartedAt, DateTimeOffset StartedAtUtc, long AnsweredAt, DateTimeOffset AnsweredAtUtc)
    {
        public bool Accepted => Status is >= 200 and < 300;
    }
}
