using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SaasAssistants.Database.Setup;
using SaasAssistants.IntegrationTests.Gateway;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Channels;

/// <summary>The development seed's WhatsApp and Instagram channels: from Seed:WhatsApp:* / Seed:Instagram:*, generated when absent, working at the Gateway.</summary>
public sealed class SeededChannelsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Given_settings_are_used_absent_ones_generated_a_second_run_changes_nothing_and_the_gateway_accepts_both()
    {
        var servers = TestServers.Shared;
        var options = new DatabaseSetupOptions
        {
            AppRoleName = servers.AppRoleName,
            AppRolePassword = servers.AppRolePassword,
            Seed = new SeedOptions
            {
                EncryptionKey = servers.EncryptionKey,
                WhatsApp = new WhatsAppSeedOptions { ChannelKey = "wa_seeded_key", PhoneNumberId = "109876543210001", VerifyToken = "seed-verify", AppSecret = "seed-app-secret" },
            },
        };

        var first = (await DatabaseSetup.RunAsync(database.OwnerConnectionString, options, NullLogger.Instance, CancellationToken.None))!;
        var second = (await DatabaseSetup.RunAsync(database.OwnerConnectionString, options, NullLogger.Instance, CancellationToken.None))!;

        Assert.Equal(("wa_seeded_key", "109876543210001", "seed-verify", "seed-app-secret"),
            (first.WhatsApp!.ChannelKey, first.WhatsApp.AccountId, first.WhatsApp.VerifyToken, first.WhatsApp.AppSecret));
        Assert.Matches("^ig_", first.Instagram!.ChannelKey);
        Assert.Matches("^17841[0-9]{12}$", first.Instagram.AccountId);
        Assert.Equal((first.WhatsApp, first.Instagram), (second.WhatsApp, second.Instagram));

        await using var gateway = await GatewayFactory.CreateAsync(database);
        var http = gateway.CreateClient();
        var verified = await http.GetAsync($"/v1/webhooks/whatsapp/wa_seeded_key?hub.mode=subscribe&hub.verify_token=seed-verify&hub.challenge=42");
        Assert.Equal("42", await verified.Content.ReadAsStringAsync());

        var whatsApp = WhatsAppPayloads.Delivery("109876543210001", $"\"messages\":[{WhatsAppPayloads.Text("5511900001111", WhatsAppPayloads.NewWamid(), "oi")}]");
        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(http, "whatsapp/wa_seeded_key", whatsApp, "seed-app-secret")).StatusCode);
        var instagram = $$"""{"object":"instagram","entry":[{"id":"{{first.Instagram.AccountId}}","time":1,"messaging":[{"sender":{"id":"99"},"recipient":{"id":"{{first.Instagram.AccountId}}"},"timestamp":1,"message":{"mid":"m_seed","text":"oi"} }]}]}""";
        Assert.Equal(HttpStatusCode.OK, (await PostSignedAsync(http, $"instagram/{first.Instagram.ChannelKey}", instagram, first.Instagram.AppSecret)).StatusCode);
    }

    private static Task<HttpResponseMessage> PostSignedAsync(HttpClient http, string path, string body, string appSecret)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/{path}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), bytes)));
        return http.SendAsync(request);
    }
}
