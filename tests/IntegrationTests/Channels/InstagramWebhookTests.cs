using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SaasAssistants.IntegrationTests.Gateway;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Channels;

/// <summary>Instagram Messaging webhooks through the real Gateway, in Meta's documented shape, signed as Meta signs them.</summary>
public sealed class InstagramWebhookTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const string Customer = "6372894729384729";
    private GatewayFactory _gateway = null!;
    private HttpClient _http = null!;
    private MetaChannel _channel = null!;
    private OwnerQueries _db = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayFactory.CreateAsync(database);
        _http = _gateway.CreateClient();
        _channel = await MetaChannel.InsertAsync(database.OwnerConnectionString, database.EncryptionKey, "instagram", externalId: "17841400000000001");
        _db = new OwnerQueries(database.OwnerConnectionString);
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task The_verification_handshake_works_as_on_whatsapp()
    {
        var ok = await _http.GetAsync($"/v1/webhooks/instagram/{_channel.ChannelKey}?hub.mode=subscribe&hub.verify_token={_channel.VerifyToken}&hub.challenge=987");
        Assert.Equal("987", await ok.Content.ReadAsStringAsync());
        var wrong = await _http.GetAsync($"/v1/webhooks/instagram/{_channel.ChannelKey}?hub.mode=subscribe&hub.verify_token=x&hub.challenge=987");
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
    }

    [Fact]
    public async Task Every_listed_event_kind_becomes_one_event_echoes_do_not_and_a_read_receipt_marks_our_message_read()
    {
        var mid = () => "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx" + Guid.NewGuid().ToString("N");
        string[] ids = [.. Enumerable.Range(0, 12).Select(_ => mid())];
        var ours = mid();
        await InsertOutboundAsync(ours);
        var account = _channel.ExternalId;
        string Event(string inner, string? sender = null, long ts = 1749416383000) =>
            $$"""{"sender":{"id":"{{sender ?? Customer}}"},"recipient":{"id":"{{account}}"},"timestamp":{{ts}},{{inner}}}""";
        var events = new[]
        {
            Event($$"""  "message":{"mid":"{{ids[0]}}","text":"Oi, tem o tênis 42?"}"""),
            Event($$"""  "message":{"mid":"{{ids[1]}}","attachments":[{"type":"image","payload":{"url":"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1"} }]}"""),
            Event($$"""  "message":{"mid":"{{ids[2]}}","attachments":[{"type":"audio","payload":{"url":"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=2"} }]}"""),
            Event($$"""  "message":{"mid":"{{ids[3]}}","attachments":[{"type":"file","payload":{"url":"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=3"} }]}"""),
            Event($$"""  "message":{"mid":"{{ids[4]}}","attachments":[{"type":"share","payload":{"url":"https://www.instagram.com/p/C1/"} }]}"""),
            Event($$"""  "message":{"mid":"{{ids[5]}}","attachments":[{"type":"story_mention","payload":{"url":"https://lookaside.fbsbx.com/story/5"} }]}"""),
            Event($$"""  "message":{"mid":"{{ids[6]}}","text":"Que lindo!","reply_to":{"story":{"url":"https://lookaside.fbsbx.com/story/6","id":"3210"} } }"""),
            Event($$"""  "message":{"mid":"{{ids[7]}}","text":"Tamanho 42","quick_reply":{"payload":"SIZE_42"} }"""),
            Event($$"""  "postback":{"mid":"{{ids[8]}}","title":"Ver catálogo","payload":"CATALOG"}"""),
            Event($$"""  "reaction":{"mid":"{{ours}}","action":"react","reaction":"love","emoji":"❤️"}"""),
            Event($$"""  "message_edit":{"mid":"{{ids[0]}}","text":"Oi, tem o tênis 43?","num_edit":1}"""),
            Event($$"""  "message":{"mid":"{{ids[9]}}","is_deleted":true}"""),
            // Our own send, echoed back: never a customer message.
            Event($$"""  "message":{"mid":"{{ids[10]}}","text":"Temos sim!","is_echo":true}""", sender: account),
            Event($$"""  "read":{"mid":"{{ours}}"}"""),
        };
        var body = $$"""{"object":"instagram","entry":[{"id":"{{account}}","time":1749416384000,"messaging":[{{string.Join(",", events)}}]}]}""";

        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((12, 1), (result.GetProperty("messages").GetInt32(), result.GetProperty("statuses").GetInt32()));
        var events2 = await _db.ListAsync("SELECT payload::text FROM outbox_messages WHERE tenant_id = $1 AND event_type = 'InboundMessageReceived'",
            r => JsonDocument.Parse(r.GetString(0)).RootElement.Clone(), _channel.TenantId);
        var byId = events2.ToDictionary(e => e.GetProperty("channelMessageId").GetString()!, e => e.GetProperty("content"));
        Assert.All(events2, e => Assert.Equal(Customer, e.GetProperty("externalContactId").GetString()));
        Assert.All(events2, e => Assert.Equal("instagram", e.GetProperty("channelType").GetString()));
        Assert.DoesNotContain(ids[10], byId.Keys);

        Assert.Equal(("text", "Oi, tem o tênis 42?"), (Str(byId[ids[0]], "type"), Str(byId[ids[0]], "text")));
        Assert.Equal(("image", "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1"), (Str(byId[ids[1]], "type"), byId[ids[1]].GetProperty("media").GetProperty("url").GetString()));
        Assert.Equal("audio", Str(byId[ids[2]], "type"));
        Assert.Equal("document", Str(byId[ids[3]], "type"));
        Assert.Equal(("share", "https://www.instagram.com/p/C1/"), (Str(byId[ids[4]], "type"), Str(byId[ids[4]], "mediaUrl")));
        Assert.Equal("storyMention", Str(byId[ids[5]], "type"));
        Assert.Equal(("text", "story:3210"), (Str(byId[ids[6]], "type"), Str(byId[ids[6]], "referencedMessageId")));
        Assert.Equal(("choice", "SIZE_42"), (Str(byId[ids[7]], "type"), Str(byId[ids[7]], "choiceId")));
        Assert.Equal(("choice", "Ver catálogo", "CATALOG"), (Str(byId[ids[8]], "type"), Str(byId[ids[8]], "text"), Str(byId[ids[8]], "choiceId")));
        var reaction = byId[$"{ours}:react:1749416383000"];
        Assert.Equal(("reaction", "❤️", ours), (Str(reaction, "type"), Str(reaction, "emoji"), Str(reaction, "referencedMessageId")));
        var edit = byId[$"{ids[0]}:edit:1"];
        Assert.Equal(("edit", "Oi, tem o tênis 43?", ids[0]), (Str(edit, "type"), Str(edit, "text"), Str(edit, "referencedMessageId")));
        var deletion = byId[$"{ids[9]}:deleted"];
        Assert.Equal(("deletion", ids[9]), (Str(deletion, "type"), Str(deletion, "referencedMessageId")));
        Assert.Equal("read", await _db.SingleAsync("SELECT delivery_status FROM messages WHERE channel_message_id = $1", r => r.GetString(0), ours));
    }

    [Fact]
    public async Task An_entry_for_another_account_is_refused_whole_and_a_bad_signature_never_gets_processed()
    {
        var mid = "aWdfZAG1_" + Guid.NewGuid().ToString("N");
        var foreign = $$"""{"object":"instagram","entry":[{"id":"17841499999999999","time":1,"messaging":[{"sender":{"id":"1"},"recipient":{"id":"17841499999999999"},"timestamp":1,"message":{"mid":"{{mid}}","text":"x"} }]}]}""";
        Assert.Equal((HttpStatusCode)422, (await PostAsync(foreign)).StatusCode);

        var body = $$"""{"object":"instagram","entry":[{"id":"{{_channel.ExternalId}}","time":1,"messaging":[{"sender":{"id":"1"},"recipient":{"id":"{{_channel.ExternalId}}"},"timestamp":1,"message":{"mid":"{{mid}}","text":"x"} }]}]}""";
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(body, signature: "sha256=" + new string('a', 64))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(body.Replace("\"instagram\"", "\"page\""))).StatusCode);

        Assert.Empty(await _db.ListAsync("SELECT 1 FROM outbox_messages WHERE payload->>'channelMessageId' = $1", r => 1, mid));
        Assert.Equal(3, (await _db.ListAsync("SELECT 1 FROM webhook_events WHERE channel_id = $1 AND status = 'rejected'", r => 1, _channel.ChannelId)).Count);
    }

    private async Task InsertOutboundAsync(string mid)
    {
        var contact = Guid.CreateVersion7();
        var conversation = Guid.CreateVersion7();
        await _db.ExecuteAsync($"""
            INSERT INTO contacts (id, tenant_id, channel_id, external_id) VALUES ('{contact}', '{_channel.TenantId}', '{_channel.ChannelId}', '{Customer}');
            INSERT INTO conversations (id, tenant_id, workspace_id, channel_id, contact_id) VALUES ('{conversation}', '{_channel.TenantId}', '{_channel.WorkspaceId}', '{_channel.ChannelId}', '{contact}');
            INSERT INTO messages (id, tenant_id, conversation_id, channel_id, direction, sender, channel_message_id, content, delivery_status)
                VALUES ('{Guid.CreateVersion7()}', '{_channel.TenantId}', '{conversation}', '{_channel.ChannelId}', 'outbound', 'assistant', '{mid}', '{"{"}"type":"text","text":"Temos"{"}"}', 'sent');
            """);
    }

    private Task<HttpResponseMessage> PostAsync(string body, string? signature = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/instagram/{_channel.ChannelKey}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Hub-Signature-256", signature ?? _channel.Sign(bytes));
        return _http.SendAsync(request);
    }

    private static string? Str(JsonElement content, string name) => content.TryGetProperty(name, out var value) ? value.GetString() : null;
}
