using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SaasAssistants.IntegrationTests.Gateway;
using SaasAssistants.Testing;
using Xunit;
using static SaasAssistants.IntegrationTests.Channels.WhatsAppPayloads;

namespace SaasAssistants.IntegrationTests.Channels;

/// <summary>WhatsApp Cloud API webhooks through the real Gateway, in Meta's wire format, signed as Meta signs them.</summary>
public sealed class WhatsAppWebhookTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
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
    public async Task The_verification_handshake_echoes_the_challenge_only_for_the_channels_verify_token()
    {
        var ok = await _http.GetAsync($"/v1/webhooks/whatsapp/{_channel.ChannelKey}?hub.mode=subscribe&hub.verify_token={_channel.VerifyToken}&hub.challenge=1158201444");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("text/plain", ok.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync());

        var wrong = await _http.GetAsync($"/v1/webhooks/whatsapp/{_channel.ChannelKey}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444");
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        var unknown = await _http.GetAsync($"/v1/webhooks/whatsapp/wa_nope?hub.mode=subscribe&hub.verify_token={_channel.VerifyToken}&hub.challenge=1");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_signed_text_message_is_audited_with_its_signature_and_becomes_one_event_before_the_200()
    {
        var wamid = NewWamid();
        var body = Delivery(_channel.ExternalId, $$"""
            "contacts":[{{Contact("5511987654321", "Maria Souza")}}],"messages":[{{Text("5511987654321", wamid, "Vocês entregam no domingo?")}}]
            """);

        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var webhookEventId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("webhookEventId").GetGuid();
        var (status, tenant, signature, verified) = await _db.SingleAsync(
            "SELECT status, tenant_id, signature, signature_verified FROM webhook_events WHERE id = $1",
            r => (r.GetString(0), r.GetGuid(1), r.GetString(2), r.GetBoolean(3)), webhookEventId);
        Assert.Equal(("accepted", _channel.TenantId, _channel.Sign(Encoding.UTF8.GetBytes(body)), true), (status, tenant, signature, verified));

        var @event = await EventAsync(wamid);
        Assert.Equal(webhookEventId, @event.GetProperty("webhookEventId").GetGuid());
        Assert.Equal("whatsApp", @event.GetProperty("channelType").GetString());
        Assert.Equal("5511987654321", @event.GetProperty("externalContactId").GetString());
        Assert.Equal("Maria Souza", @event.GetProperty("contactName").GetString());
        Assert.Equal("Vocês entregam no domingo?", @event.GetProperty("content").GetProperty("text").GetString());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1749416383), @event.GetProperty("sentAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_batched_delivery_becomes_one_event_per_message_with_every_type_in_the_internal_protocol()
    {
        var from = "5521999990000";
        string[] ids = [.. Enumerable.Range(0, 12).Select(_ => NewWamid())];
        var quoted = NewWamid();
        var first = WithMetadata(_channel.ExternalId, $$$"""
            "contacts":[{{{Contact(from, "João")}}}],
            "messages":[
              {"from":"{{{from}}}","id":"{{{ids[0]}}}","timestamp":"1749416400","type":"image","image":{"caption":"Meu pedido","mime_type":"image/jpeg","sha256":"abc=","id":"1003383421387256"}},
              {"from":"{{{from}}}","id":"{{{ids[1]}}}","timestamp":"1749416401","type":"audio","audio":{"mime_type":"audio/ogg; codecs=opus","sha256":"def=","id":"2003383421387256","voice":true}},
              {"from":"{{{from}}}","id":"{{{ids[2]}}}","timestamp":"1749416402","type":"document","document":{"caption":"NF","filename":"nota.pdf","mime_type":"application/pdf","sha256":"ghi=","id":"3003383421387256"}},
              {"from":"{{{from}}}","id":"{{{ids[3]}}}","timestamp":"1749416403","type":"location","location":{"latitude":-23.5614,"longitude":-46.6559,"name":"Av. Paulista","address":"Av. Paulista, 1578"}},
              {"from":"{{{from}}}","id":"{{{ids[4]}}}","timestamp":"1749416404","type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"confirm_yes","title":"Sim"} } },
              {"from":"{{{from}}}","id":"{{{ids[5]}}}","timestamp":"1749416405","type":"interactive","interactive":{"type":"list_reply","list_reply":{"id":"slot_10h","title":"10:00","description":"Manhã"} } }
            ]
            """);
        var second = WithMetadata(_channel.ExternalId, $$$"""
            "contacts":[{{{Contact(from, "João")}}}],
            "messages":[
              {"from":"{{{from}}}","id":"{{{ids[6]}}}","timestamp":"1749416406","type":"button","button":{"text":"Falar com atendente","payload":"AGENT"},"context":{"from":"15550783881","id":"{{{quoted}}}"}},
              {"from":"{{{from}}}","id":"{{{ids[7]}}}","timestamp":"1749416407","type":"reaction","reaction":{"message_id":"{{{quoted}}}","emoji":"👍"}},
              {"from":"{{{from}}}","id":"{{{ids[8]}}}","timestamp":"1749416408","type":"reaction","reaction":{"message_id":"{{{quoted}}}"}},
              {"from":"{{{from}}}","id":"{{{ids[9]}}}","timestamp":"1749416409","type":"contacts","contacts":[{"name":{"formatted_name":"Ana Lima","first_name":"Ana"},"phones":[{"phone":"+55 11 91234-5678","wa_id":"5511912345678","type":"CELL"}]}]},
              {"from":"{{{from}}}","id":"{{{ids[10]}}}","timestamp":"1749416410","type":"unsupported","errors":[{"code":131051,"title":"Message type unknown","message":"Message type unknown","error_data":{"details":"Message type is currently not supported."}}]},
              {"from":"{{{from}}}","id":"{{{ids[11]}}}","timestamp":"1749416411","type":"text","text":{"body":"Pode ser amanhã?"},"context":{"from":"15550783881","id":"{{{quoted}}}"}}
            ]
            """);
        var body = $$"""
            {"object":"whatsapp_business_account","entry":[
              {"id":"102290129340398","changes":[{"field":"messages","value":{{first}}}]},
              {"id":"102290129340398","changes":[{"field":"messages","value":{{second}}}]}]}
            """;

        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(12, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("messages").GetInt32());
        var contents = new List<JsonElement>();
        foreach (var id in ids)
        {
            contents.Add((await EventAsync(id)).GetProperty("content"));
        }

        Assert.Equal(("image", "Meu pedido", "1003383421387256", "image/jpeg"), (Type(contents[0]), BodyOf(contents[0]), Media(contents[0], "id"), Media(contents[0], "mimeType")));
        Assert.Equal(("audio", "2003383421387256"), (Type(contents[1]), Media(contents[1], "id")));
        Assert.True(contents[1].GetProperty("media").GetProperty("voice").GetBoolean());
        Assert.Equal(("document", "nota.pdf"), (Type(contents[2]), Media(contents[2], "fileName")));
        Assert.Equal("location", Type(contents[3]));
        Assert.Equal(-23.5614, contents[3].GetProperty("location").GetProperty("latitude").GetDouble());
        Assert.Equal("Av. Paulista, 1578", contents[3].GetProperty("location").GetProperty("address").GetString());
        Assert.Equal(("choice", "Sim", "confirm_yes"), (Type(contents[4]), BodyOf(contents[4]), Str(contents[4], "choiceId")));
        Assert.Equal(("choice", "10:00", "slot_10h"), (Type(contents[5]), BodyOf(contents[5]), Str(contents[5], "choiceId")));
        Assert.Equal(("choice", "Falar com atendente", "AGENT", quoted), (Type(contents[6]), BodyOf(contents[6]), Str(contents[6], "choiceId"), Str(contents[6], "referencedMessageId")));
        Assert.Equal(("reaction", "👍", quoted), (Type(contents[7]), Str(contents[7], "emoji"), Str(contents[7], "referencedMessageId")));
        Assert.Equal(("reaction", null, quoted), (Type(contents[8]), Str(contents[8], "emoji"), Str(contents[8], "referencedMessageId")));
        Assert.Equal("contacts", Type(contents[9]));
        Assert.Equal("+55 11 91234-5678", contents[9].GetProperty("contacts")[0].GetProperty("phones")[0].GetString());
        Assert.Equal("unsupported", Type(contents[10]));
        Assert.Contains("131051", Str(contents[10], "unsupportedReason"));
        Assert.Equal(("text", "Pode ser amanhã?", quoted), (Type(contents[11]), BodyOf(contents[11]), Str(contents[11], "referencedMessageId")));
    }

    [Fact]
    public async Task Statuses_move_an_outbound_message_forward_never_back_and_record_the_error_of_a_failure()
    {
        var delivered = NewWamid();
        var failed = NewWamid();
        await InsertOutboundAsync(delivered);
        await InsertOutboundAsync(failed);

        // Meta may report read before delivered: the later "delivered" must not undo "read".
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Statuses((delivered, "sent", 1749416500, null), (delivered, "read", 1749416502, null)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Statuses((delivered, "delivered", 1749416501, null)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Statuses((failed, "failed", 1749416503, 131047)))).StatusCode);

        Assert.Equal(("read", (string?)null), await DeliveryAsync(delivered));
        Assert.Equal(("failed", (string?)"131047"), await DeliveryAsync(failed));
    }

    [Fact]
    public async Task An_unsigned_delivery_is_a_401_and_a_wrongly_signed_one_a_403_both_audited_never_processed()
    {
        var unsignedId = NewWamid();
        var unsigned = Delivery(_channel.ExternalId, $"\"messages\":[{Text("5511900000001", unsignedId, "oi")}]");
        var forgedId = NewWamid();
        var forged = Delivery(_channel.ExternalId, $"\"messages\":[{Text("5511900000001", forgedId, "oi")}]");

        await AssertProblemAsync(await PostAsync(unsigned, signature: null), HttpStatusCode.Unauthorized, "missing_signature");
        var badSignature = "sha256=" + new string('0', 64);
        await AssertProblemAsync(await PostAsync(forged, signature: badSignature), HttpStatusCode.Forbidden, "invalid_signature");

        Assert.Equal(("rejected", false), await _db.SingleAsync("SELECT status, signature_verified FROM webhook_events WHERE payload = $1",
            r => (r.GetString(0), r.GetBoolean(1)), unsigned));
        Assert.Equal(badSignature, await _db.SingleAsync("SELECT signature FROM webhook_events WHERE payload = $1 AND rejection_reason = 'invalid_signature'",
            r => r.GetString(0), forged));
        Assert.Empty(await _db.ListAsync("SELECT 1 FROM outbox_messages WHERE payload->>'channelMessageId' = ANY($1)", r => 1, (object)new[] { unsignedId, forgedId }));
    }

    [Theory]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[", HttpStatusCode.BadRequest, "malformed_json")]
    [InlineData("{\"object\":\"page\",\"entry\":[]}", HttpStatusCode.BadRequest, "wrong_object")]
    [InlineData("{\"object\":\"whatsapp_business_account\"}", HttpStatusCode.BadRequest, "invalid_payload")]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"{phone}\"},\"messages\":[{\"type\":\"text\",\"text\":{\"body\":\"no id\"}}]}}]}]}",
        HttpStatusCode.BadRequest, "invalid_payload")]
    [InlineData("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"999\"},\"messages\":[]}}]}]}",
        (HttpStatusCode)422, "unknown_account")]
    public async Task Bad_input_is_refused_with_the_right_status_and_audited(string template, HttpStatusCode status, string reason)
    {
        // A marker makes each body unique, so its audit row can be found.
        var body = template.Replace("{phone}", _channel.ExternalId) + new string(' ', Random.Shared.Next(1, 4000));

        await AssertProblemAsync(await PostAsync(body), status, reason);

        Assert.Equal(("rejected", true, _channel.TenantId), await _db.SingleAsync(
            "SELECT status, signature_verified, tenant_id FROM webhook_events WHERE payload = $1 AND rejection_reason = $2",
            r => (r.GetString(0), r.GetBoolean(1), r.GetGuid(2)), body, reason));
    }

    [Fact]
    public async Task An_unknown_channel_key_is_a_404_audited_without_a_tenant()
    {
        var body = Delivery(_channel.ExternalId, $"\"messages\":[{Text("5511900000002", NewWamid(), "oi")}]");

        await AssertProblemAsync(await PostAsync(body, channelKey: "wa_unknown_" + Guid.NewGuid().ToString("N")), HttpStatusCode.NotFound, "unknown_channel");

        Assert.True(await _db.SingleAsync("SELECT tenant_id IS NULL FROM webhook_events WHERE payload = $1", r => r.GetBoolean(0), body));
    }

    [Fact]
    public async Task A_body_over_metas_3_MB_is_a_413_audited_without_storing_it()
    {
        var body = Delivery(_channel.ExternalId, $"\"messages\":[{Text("5511900000003", NewWamid(), new string('a', 3 * 1024 * 1024))}]");
        var before = DateTimeOffset.UtcNow;

        await AssertProblemAsync(await PostAsync(body), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");

        Assert.True(await _db.SingleAsync("SELECT payload IS NULL FROM webhook_events WHERE channel_id = $1 AND rejection_reason = 'payload_too_large' AND received_at >= $2",
            r => r.GetBoolean(0), _channel.ChannelId, before));
    }

    [Fact]
    public async Task A_redelivered_message_is_accepted_again_under_the_same_wamid_so_the_processor_stores_it_once()
    {
        var wamid = NewWamid();
        var body = Delivery(_channel.ExternalId, $"\"messages\":[{Text("5511900000004", wamid, "de novo")}]");

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(body)).StatusCode);

        // Both deliveries are audited; both events carry the wamid, the natural key the processor's insert is unique on.
        Assert.Equal(2, (await _db.ListAsync("SELECT 1 FROM webhook_events WHERE payload = $1 AND status = 'accepted'", r => 1, body)).Count);
        Assert.Equal(2, (await _db.ListAsync("SELECT 1 FROM outbox_messages WHERE payload->>'channelMessageId' = $1", r => 1, wamid)).Count);
    }

    private string Statuses(params (string Id, string Status, long Timestamp, int? Error)[] statuses)
    {
        const string Failure = ""","errors":[{"code":131047,"title":"Re-engagement message","message":"Re-engagement message","error_data":{"details":"Message failed to send because more than 24 hours have passed since the customer last replied to this number."}}]""";
        var items = statuses.Select(s =>
            $"{{\"id\":\"{s.Id}\",\"status\":\"{s.Status}\",\"timestamp\":\"{s.Timestamp}\",\"recipient_id\":\"5511987654321\"" + (s.Error is null ? "" : Failure) + "}");
        return Delivery(_channel.ExternalId, $"\"statuses\":[{string.Join(",", items)}]");
    }

    private async Task InsertOutboundAsync(string wamid)
    {
        var contact = Guid.CreateVersion7();
        var conversation = Guid.CreateVersion7();
        await _db.ExecuteAsync("""
            INSERT INTO contacts (id, tenant_id, channel_id, external_id) VALUES ($1, $3, $4, $5);
            INSERT INTO conversations (id, tenant_id, workspace_id, channel_id, contact_id) VALUES ($2, $3, $6, $4, $1);
            INSERT INTO messages (id, tenant_id, conversation_id, channel_id, direction, sender, channel_message_id, content, delivery_status)
                VALUES ($7, $3, $2, $4, 'outbound', 'assistant', $8, '{"type":"text","text":"Olá"}', 'queued');
            """.Replace("$1", $"'{contact}'").Replace("$2", $"'{conversation}'").Replace("$3", $"'{_channel.TenantId}'").Replace("$4", $"'{_channel.ChannelId}'")
              .Replace("$5", $"'c_{wamid}'").Replace("$6", $"'{_channel.WorkspaceId}'").Replace("$7", $"'{Guid.CreateVersion7()}'").Replace("$8", $"'{wamid}'"));
    }

    private Task<(string, string?)> DeliveryAsync(string wamid) => _db.SingleAsync(
        "SELECT delivery_status, delivery_error FROM messages WHERE channel_message_id = $1", r => (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)), wamid);

    private async Task<JsonElement> EventAsync(string wamid)
    {
        var payload = await _db.SingleAsync("SELECT payload::text FROM outbox_messages WHERE event_type = 'InboundMessageReceived' AND payload->>'channelMessageId' = $1",
            r => r.GetString(0), wamid);
        return JsonDocument.Parse(payload).RootElement.Clone();
    }

    private Task<HttpResponseMessage> PostAsync(string body, string? signature = "sign", string? channelKey = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/whatsapp/{channelKey ?? _channel.ChannelKey}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature == "sign" ? _channel.Sign(bytes) : signature);
        }

        return _http.SendAsync(request);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
    }

    private static string? Type(JsonElement content) => Str(content, "type");
    private static string? BodyOf(JsonElement content) => Str(content, "text");
    private static string? Media(JsonElement content, string name) => content.GetProperty("media").GetProperty(name).GetString();
    private static string? Str(JsonElement content, string name) => content.TryGetProperty(name, out var value) ? value.GetString() : null;
}
