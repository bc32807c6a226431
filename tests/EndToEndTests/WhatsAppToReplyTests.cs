using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.EndToEndTests;

/// <summary>
/// A check from outside drives the demo WhatsApp channel with the settings it gave the AppHost (Seed:WhatsApp:*): Meta's
/// verification handshake, then a delivery signed as Meta signs it, answered through message.send to the channel
/// simulator's Graph API, which the AppHost wires in place of Meta.
/// </summary>
[Collection(RunningSystem.Collection)]
public sealed class WhatsAppToReplyTests(RunningSystem system)
{
    [Fact]
    public async Task The_callback_answers_Meta_s_verification_with_the_challenge_and_refuses_a_wrong_token()
    {
        using var gateway = new HttpClient { BaseAddress = system.Gateway };
        var callback = $"/v1/webhooks/whatsapp/{system.Arguments.WhatsAppChannelKey}";

        var verified = await gateway.GetAsync($"{callback}?hub.mode=subscribe&hub.verify_token={system.Arguments.WhatsAppVerifyToken}&hub.challenge=1158201444");
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Equal("1158201444", await verified.Content.ReadAsStringAsync());

        var refused = await gateway.GetAsync($"{callback}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task A_signed_WhatsApp_message_is_answered_through_the_graph_api()
    {
        var customer = "55119" + Random.Shared.Next(10_000_000, 99_999_999);
        var body = JsonSerializer.Serialize(new
        {
            @object = "whatsapp_business_account",
            entry = new[]
            {
                new
                {
                    id = "102290129340398",
                    changes = new[]
                    {
                        new
                        {
                            field = "messages",
                            value = new
                            {
                                messaging_product = "whatsapp",
                                metadata = new { display_phone_number = "15550783881", phone_number_id = system.Arguments.WhatsAppPhoneNumberId },
                                contacts = new[] { new { profile = new { name = "Joana" }, wa_id = customer } },
                                messages = new[]
                                {
                                    new
                                    {
                                        from = customer,
                                        id = "wamid.HBgN" + Guid.NewGuid().ToString("N"),
                                        timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(),
                                        type = "text",
                                        text = new { body = "Hello, what time do you open?" },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        });
        var bytes = Encoding.UTF8.GetBytes(body);
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(system.Arguments.WhatsAppAppSecret), bytes));

        using var gateway = new HttpClient { BaseAddress = system.Gateway };
        var post = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/whatsapp/{system.Arguments.WhatsAppChannelKey}")
        {
            Content = new ByteArrayContent(bytes) { Headers = { { "Content-Type", "application/json" } } },
        };
        post.Headers.Add("X-Hub-Signature-256", signature);
        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync(post)).StatusCode);

        using var simulator = new HttpClient { BaseAddress = system.ChannelSimulator };
        var send = await Eventually.ValueAsync(async () =>
        {
            var sends = JsonDocument.Parse(await simulator.GetStringAsync("/simulator/sends")).RootElement;
            return sends.EnumerateArray().Where(s => s.GetProperty("to").GetString() == customer)
                .Select(s => (object?)s.Clone()).FirstOrDefault();
        }, TimeSpan.FromSeconds(60), "the reply sent to the Graph API");

        var sent = (JsonElement)send;
        Assert.Equal(system.Arguments.WhatsAppPhoneNumberId, sent.GetProperty("accountId").GetString());
        Assert.False(string.IsNullOrWhiteSpace(sent.GetProperty("text").GetString()));
    }
}
