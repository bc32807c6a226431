using System.Net.Http.Json;
using System.Text.Json;
using SaasAssistants.Contracts;

namespace SaasAssistants.IntegrationTests.Gateway;

/// <summary>Talks to the Gateway the way widget.js does: a visitor session, then messages with the session header.</summary>
public sealed class WidgetClient(HttpClient http, string channelToken)
{
    public async Task<VisitorSession> StartSessionAsync()
    {
        var response = await http.PostAsync($"/v1/widget/{channelToken}/sessions", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<VisitorSession>(ContractJson.Options))!;
    }

    public Task<HttpResponseMessage> SendAsync(VisitorSession? session, string body, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/web/{token ?? channelToken}")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        if (session is not null)
        {
            request.Headers.Add("X-Widget-Session", session.SessionToken);
        }

        return http.SendAsync(request);
    }

    public Task<HttpResponseMessage> SendTextAsync(VisitorSession session, string messageId, string text)
        => SendAsync(session, JsonSerializer.Serialize(new { sessionId = session.SessionId, messageId, text }));

    public Task<HttpResponseMessage> OpenEventsAsync(VisitorSession session, CancellationToken cancellationToken)
        => http.SendAsync(new HttpRequestMessage(HttpMethod.Get,
                $"/v1/widget/{channelToken}/sessions/{session.SessionId}/events?token={Uri.EscapeDataString(session.SessionToken)}"),
            HttpCompletionOption.ResponseHeadersRead, cancellationToken);
}

public sealed record VisitorSession(string SessionId, string SessionToken, DateTimeOffset ExpiresAt, string? AssistantName, string? Greeting);
