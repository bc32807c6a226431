using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SaasAssistants.IntegrationTests.Gateway;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Channels;

/// <summary>Twilio's WhatsApp webhooks through the real Gateway: form-encoded, signed with X-Twilio-Signature as Twilio signs them.</summary>
public sealed class TwilioWebhookTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private GatewayFactory _gateway = null!;
    private HttpClient _http = null!;
    private MetaChannel _channel = null!;
    private OwnerQueries _db = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayFactory.CreateAsync(database);
        _http = _gateway.CreateClient();
        _channel = await MetaChannel.InsertAsync(database.OwnerConnectionString, database.EncryptionKey, "whatsapp", "twilio",
            externalId: "whatsapp:+14155238886", providerAccountId: "AC0123456789abcdef0123456789abcdef");
        _db = new OwnerQueries(database.OwnerConnectionString);
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_signed_incoming_message_with_media_becomes_one_event_keyed_on_its_MessageSid()
    {
        var sid = "SM" + Guid.NewGuid().ToString("N");
        var form = Incoming(sid, ("Body", "Segue a foto"), ("NumMedia", "1"), ("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC01/Messages/MM01/Media/ME01"),
            ("MediaContentType0", "image/jpeg"));

        var response = await PostAsync(form, sign: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        var payload = await _db.SingleAsync("SELECT payload::text FROM outbox_messages WHERE payload->>'channelMessageId' = $1", r => r.GetString(0), sid);
        var @event = JsonDocument.Parse(payload).RootElement;
        Assert.Equal(("5511987654321", "Maria Souza", "whatsApp"), (@event.GetProperty("externalContactId").GetString(),
            @event.GetProperty("contactName").GetString(), @event.GetProperty("channelType").GetString()));
        var content = @event.GetProperty("content");
        Assert.Equal(("image", "Segue a foto", "https://api.twilio.com/2010-04-01/Accounts/AC01/Messages/MM01/Media/ME01"),
            (content.GetProperty("type").GetString(), content.GetProperty("text").GetString(), content.GetProperty("mediaUrl").GetString()));
        Assert.True(await _db.SingleAsync("SELECT signature_verified FROM webhook_events WHERE payload LIKE '%' || $1 || '%'", r => r.GetBoolean(0), sid));
    }

    [Fact]
    public async Task An_unsigned_or_wrongly_signed_webhook_is_refused_and_audited_never_processed()
    {
        var unsigned = "SM" + Guid.NewGuid().ToString("N");
        var forged = "SM" + Guid.NewGuid().ToString("N");

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(Incoming(unsigned, ("Body", "oi")), sign: false)).StatusCode);
        // Signed over other parameters than the ones sent: a tampered body.
        var request = Incoming(forged, ("Body", "oi"));
        var signature = Sign(Incoming(forged, ("Body", "tchau")));
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(request, sign: false, signature)).StatusCode);

        Assert.Empty(await _db.ListAsync("SELECT 1 FROM outbox_messages WHERE payload->>'channelMessageId' = ANY($1)", r => 1, (object)new[] { unsigned, forged }));
        Assert.Equal(2, (await _db.ListAsync("SELECT 1 FROM webhook_events WHERE channel_id = $1 AND status = 'rejected' AND signature_verified = false",
            r => 1, _channel.ChannelId)).Count);
    }

    private static List<KeyValuePair<string, string>> Incoming(string sid, params (string Name, string Value)[] extra)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("SmsMessageSid", sid), new("MessageSid", sid), new("AccountSid", "AC0123456789abcdef0123456789abcdef"),
            new("From", "whatsapp:+5511987654321"), new("To", "whatsapp:+14155238886"), new("ProfileName", "Maria Souza"),
            new("WaId", "5511987654321"), new("SmsStatus", "received"), new("NumSegments", "1"), new("ApiVersion", "2010-04-01"),
        };
        form.AddRange(extra.Select(e => new KeyValuePair<string, string>(e.Name, e.Value)));
        return form;
    }

    private string Url => new Uri(_http.BaseAddress!, $"/v1/webhooks/twilio/{_channel.ChannelKey}").ToString();

    /// <summary>Twilio's algorithm, written here independently of the Gateway's: URL + sorted name/value pairs, HMAC-SHA1, base64.</summary>
    private string Sign(List<KeyValuePair<string, string>> form)
    {
        var data = Url + string.Concat(form.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + p.Value));
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(_channel.AppSecret), Encoding.UTF8.GetBytes(data)));
    }

    private Task<HttpResponseMessage> PostAsync(List<KeyValuePair<string, string>> form, bool sign, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new FormUrlEncodedContent(form) };
        if (sign || signature is not null)
        {
            request.Headers.Add("X-Twilio-Signature", signature ?? Sign(form));
        }

        return _http.SendAsync(request);
    }
}
