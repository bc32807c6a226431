using System.Net;
using System.Text.Json;
using Npgsql;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Gateway;

/// <summary>The web widget's webhook through the real Gateway: every request is audited, only durable ones are accepted.</summary>
public sealed class WebWebhookTests(SeededTestDatabase database) : IClassFixture<SeededTestDatabase>, IAsyncLifetime
{
    private GatewayFactory _gateway = null!;
    private WidgetClient _widget = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayFactory.CreateAsync(database);
        _widget = new WidgetClient(_gateway.CreateClient(), database.Seed!.WebChannelToken);
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task An_accepted_message_is_audited_and_its_event_is_in_the_outbox_before_the_202()
    {
        var session = await _widget.StartSessionAsync();
        var messageId = Guid.NewGuid().ToString();

        var response = await _widget.SendTextAsync(session, messageId, "Do you deliver on Sundays?");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var webhookEventId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("webhookEventId").GetGuid();
        var (status, tenant) = await QueryAsync("SELECT status, tenant_id FROM webhook_events WHERE id = $1",
            r => (r.GetString(0), r.GetGuid(1)), webhookEventId);
        Assert.Equal("accepted", status);
        Assert.Equal(database.Seed!.TenantId, tenant);
        var payload = await QueryAsync("SELECT payload::text FROM outbox_messages WHERE event_type = 'InboundMessageReceived' AND payload->>'channelMessageId' = $1",
            r => r.GetString(0), messageId);
        var @event = JsonDocument.Parse(payload).RootElement;
        Assert.Equal(webhookEventId, @event.GetProperty("webhookEventId").GetGuid());
        Assert.Equal(session.SessionId, @event.GetProperty("externalContactId").GetString());
        Assert.Equal("Do you deliver on Sundays?", @event.GetProperty("content").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_and_still_audited()
    {
        var session = await _widget.StartSessionAsync();
        const string body = "{\"sessionId\": \"oops";

        var response = await _widget.SendAsync(session, body);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "malformed_json");
        Assert.Equal("rejected", await AuditStatusAsync(body, "malformed_json"));
    }

    [Fact]
    public async Task Missing_fields_are_a_400_with_the_field_errors()
    {
        var session = await _widget.StartSessionAsync();
        var body = JsonSerializer.Serialize(new { sessionId = session.SessionId, text = "" });

        var response = await _widget.SendAsync(session, body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_payload");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("messageId", out _));
        Assert.True(errors.TryGetProperty("text", out _));
        Assert.Equal("rejected", await AuditStatusAsync(body, "invalid_payload"));
    }

    [Fact]
    public async Task An_unknown_channel_token_is_a_404_problem_audited_without_a_tenant()
    {
        var body = JsonSerializer.Serialize(new { sessionId = "ws_x", messageId = Guid.NewGuid().ToString(), text = "hi" });

        var response = await _widget.SendAsync(null, body, token: "wc_does_not_exist");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "unknown_channel");
        var tenant = await QueryAsync("SELECT tenant_id FROM webhook_events WHERE payload = $1 AND rejection_reason = 'unknown_channel'",
            r => r.IsDBNull(0) ? (Guid?)null : r.GetGuid(0), body);
        Assert.Null(tenant);
    }

    [Fact]
    public async Task A_message_without_a_valid_visitor_session_is_a_401_and_audited()
    {
        var session = await _widget.StartSessionAsync();
        var forged = session with { SessionToken = session.SessionToken[..^2] + "xx" };
        var body = JsonSerializer.Serialize(new { sessionId = session.SessionId, messageId = Guid.NewGuid().ToString(), text = "hi" });

        var response = await _widget.SendAsync(forged, body);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_session");
        Assert.Equal("rejected", await AuditStatusAsync(body, "invalid_session"));
        Assert.Equal(0L, await QueryAsync("SELECT count(*) FROM outbox_messages WHERE payload->>'externalContactId' = $1",
            r => r.GetInt64(0), session.SessionId));
    }

    [Fact]
    public async Task A_session_for_another_visitor_cannot_post_as_them()
    {
        var mine = await _widget.StartSessionAsync();
        var theirs = await _widget.StartSessionAsync();
        var body = JsonSerializer.Serialize(new { sessionId = theirs.SessionId, messageId = Guid.NewGuid().ToString(), text = "hi" });

        var response = await _widget.SendAsync(mine, body);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_session");
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        return problem;
    }

    private Task<string> AuditStatusAsync(string payload, string reason)
        => QueryAsync("SELECT status FROM webhook_events WHERE payload = $1 AND rejection_reason = $2", r => r.GetString(0), payload, reason);

    /// <summary>As the owner: the audit trail is checked past row level security, as an operator would read it.</summary>
    private async Task<T> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params object[] values)
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"No row for: {sql}");
        return read(reader);
    }
}
