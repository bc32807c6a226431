using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.ChannelSimulator;

namespace SaasAssistants.IntegrationTests.Channels;

/// <summary>
/// The channel simulator (the same application developers run) on a real port of this machine: the Graph API our sends
/// go to, and Meta's side of the webhooks it posts back to a Gateway.
/// </summary>
public sealed class SimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatorServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Http = new HttpClient { BaseAddress = address };
    }

    public const string TwilioAccountSid = "AC0123456789abcdef0123456789abcdef";

    public Uri Address { get; }

    public HttpClient Http { get; }

    public static async Task<SimulatorServer> StartAsync(Uri gateway, MetaChannel? whatsApp, MetaChannel? instagram, MetaChannel? twilio = null,
        IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Simulator:GatewayUrl"] = gateway.ToString(),
            ["Simulator:StatusDelay"] = "00:00:00.050",
            ["Logging:Directory"] = Path.Combine(Path.GetTempPath(), "saas-simulator-tests", "logs"),
        };
        if (twilio is not null)
        {
            settings["Simulator:TwilioNumber"] = twilio.ExternalId["whatsapp:".Length..];
        }

        foreach (var (name, channel) in new[] { ("WhatsApp", whatsApp), ("Instagram", instagram), ("Twilio", twilio) })
        {
            if (channel is null)
            {
                continue;
            }

            settings[$"Simulator:{name}:ChannelKey"] = channel.ChannelKey;
            settings[$"Simulator:{name}:AccountId"] = name == "Twilio" ? TwilioAccountSid : channel.ExternalId;
            settings[$"Simulator:{name}:AppSecret"] = channel.AppSecret;
            settings[$"Simulator:{name}:AccessToken"] = channel.AccessToken;
        }
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        // The project folder as content root, as under the AppHost, so its page (wwwroot) is served too.
        var app = SimulatorApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Development", "--contentRoot", ProjectFolder()],
            builder => builder.Configuration.AddInMemoryCollection(settings));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimulatorServer(app, new Uri(address + "/"));
    }

    /// <summary>{repo}/ChannelSimulator, from this test assembly's {repo}/tests/{TestProject}/bin/{Configuration}/{tfm}/.</summary>
    private static string ProjectFolder() =>
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "ChannelSimulator"));

    /// <summary>The sends the Graph endpoint received, with their raw bodies.</summary>
    public async Task<List<ReceivedSend>> SendsAsync() =>
        (await Http.GetFromJsonAsync<List<ReceivedSend>>("simulator/sends", JsonSerializerOptions.Web))!;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
