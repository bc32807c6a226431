using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using SaasAssistants.IntegrationTests.Channels;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Gateway;

/// <summary>
/// A web widget channel's allowed origins (the channels page, migration 0017) through the real Gateway: a browser on
/// another site is refused (no CORS grant on the preflight, 403 on the request, nothing written); an empty list allows
/// any site; requests without an Origin are not a browser's cross-site calls and pass; a change applies at once.
/// </summary>
public sealed class WidgetOriginTests(SeededTestDatabase database) : IClassFixture<SeededTestDatabase>, IAsyncLifetime
{
    private const string Shop = "https://shop.example.com";
    private const string Elsewhere = "https://elsewhere.example.net";
    // Far below the channel cache's lifetime (five minutes): only the change notification can make these waits succeed.
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    private GatewayFactory _gateway = null!;
    private HttpClient _http = null!;
    private WidgetClient _widget = null!;
    private OwnerQueries _db = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayFactory.CreateAsync(database);
        _http = _gateway.CreateClient();
        _token = database.Seed!.WebChannelToken;
        _widget = new WidgetClient(_http, _token);
        _db = new OwnerQueries(database.OwnerConnectionString);
        // Every test starts from a list of one site, in force (the tests of this class share the channel).
        await SetOriginsAsync([Shop]);
        await UntilSessionAsync(Elsewhere, HttpStatusCode.Forbidden);
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task An_allowed_origin_gets_the_cors_grant_and_its_requests_pass()
    {
        using var preflight = await PreflightAsync($"/v1/webhooks/web/{_token}", Shop);
        Assert.Equal(Shop, AllowedOrigin(preflight));

        using var started = await SendAsync(HttpMethod.Post, $"/v1/widget/{_token}/sessions", Shop);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.Equal(Shop, AllowedOrigin(started));
        var session = JsonSerializer.Deserialize<VisitorSession>(await started.Content.ReadAsStringAsync(), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

        using var posted = await SendAsync(HttpMethod.Post, $"/v1/webhooks/web/{_token}", Shop, session, MessageBody(session));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);

        using var stream = await SendAsync(HttpMethod.Get, EventsPath(session), Shop, completion: HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Another_origin_gets_no_cors_grant_and_its_requests_are_refused_without_a_write()
    {
        // The visitor's session, taken without an Origin (as a server would): those requests are unaffected.
        var session = await _widget.StartSessionAsync();

        using var preflight = await PreflightAsync($"/v1/webhooks/web/{_token}", Elsewhere);
        Assert.Null(AllowedOrigin(preflight));
        using var sessionPreflight = await PreflightAsync($"/v1/widget/{_token}/sessions", Elsewhere);
        Assert.Null(AllowedOrigin(sessionPreflight));

        using var started = await SendAsync(HttpMethod.Post, $"/v1/widget/{_token}/sessions", Elsewhere);
        await AssertRefusedAsync(started);

        var body = MessageBody(session);
        using var posted = await SendAsync(HttpMethod.Post, $"/v1/webhooks/web/{_token}", Elsewhere, session, body);
        await AssertRefusedAsync(posted);
        Assert.Equal(0L, await _db.SingleAsync("SELECT count(*) FROM webhook_events WHERE payload = $1", r => r.GetInt64(0), body));
        Assert.Equal(0L, await _db.SingleAsync("SELECT count(*) FROM outbox_messages WHERE payload->>'externalContactId' = $1",
            r => r.GetInt64(0), session.SessionId));

        using var stream = await SendAsync(HttpMethod.Get, EventsPath(session), Elsewhere, completion: HttpCompletionOption.ResponseHeadersRead);
        await AssertRefusedAsync(stream);

        using var serverPost = await _widget.SendAsync(session, body);
        Assert.Equal(HttpStatusCode.Accepted, serverPost.StatusCode);
    }

    [Fact]
    public async Task An_emptied_list_allows_any_origin_at_once_and_a_new_list_applies_at_once()
    {
        await SetOriginsAsync(null);
        await UntilSessionAsync(Elsewhere, HttpStatusCode.Created);
        using (var preflight = await PreflightAsync($"/v1/widget/{_token}/sessions", Elsewhere))
        {
            Assert.Equal("*", AllowedOrigin(preflight));
        }

        await SetOriginsAsync([Elsewhere]);
        await UntilSessionAsync(Shop, HttpStatusCode.Forbidden);
        using (var preflight = await PreflightAsync($"/v1/widget/{_token}/sessions", Elsewhere))
        {
            Assert.Equal(Elsewhere, AllowedOrigin(preflight));
        }
    }

    private Task SetOriginsAsync(string[]? origins)
        => _db.ExecuteAsync("UPDATE channels SET allowed_origins = $1 WHERE public_token = $2", origins, _token);

    /// <summary>Starts sessions from <paramref name="origin"/> until the answer is <paramref name="expected"/>; fails after <see cref="Within"/>.</summary>
    private async Task UntilSessionAsync(string origin, HttpStatusCode expected)
    {
        var waited = Stopwatch.StartNew();
        HttpStatusCode status;
        while (true)
        {
            using var response = await SendAsync(HttpMethod.Post, $"/v1/widget/{_token}/sessions", origin);
            status = response.StatusCode;
            if (status == expected || waited.Elapsed > Within)
            {
                break;
            }

            await Task.Delay(50);
        }
        Assert.Equal(expected, status);
    }

    private Task<HttpResponseMessage> PreflightAsync(string path, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,x-widget-session");
        return _http.SendAsync(request);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string origin, VisitorSession? session = null, string? body = null,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Origin", origin);
        if (session is not null)
        {
            request.Headers.Add("X-Widget-Session", session.SessionToken);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return _http.SendAsync(request, completion);
    }

    private string EventsPath(VisitorSession session)
        => $"/v1/widget/{_token}/sessions/{session.SessionId}/events?token={Uri.EscapeDataString(session.SessionToken)}";

    private static string MessageBody(VisitorSession session)
        => JsonSerializer.Serialize(new { sessionId = session.SessionId, messageId = Guid.NewGuid().ToString(), text = "Do you ship to Recife?" });

    private static string? AllowedOrigin(HttpResponseMessage response)
        => response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? string.Join(",", values) : null;

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("origin_not_allowed", problem.GetProperty("reason").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        Assert.Null(AllowedOrigin(response));
    }
}
