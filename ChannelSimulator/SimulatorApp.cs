using SaasAssistants.ChannelSimulator.Graph;
using SaasAssistants.ChannelSimulator.Player;
using SaasAssistants.ChannelSimulator.Twilio;
using SaasAssistants.ChannelSimulator.Webhooks;

namespace SaasAssistants.ChannelSimulator;

/// <summary>
/// The simulator as one application, built the same way by its Program and by tests that host it on a real port.
/// </summary>
public static class SimulatorApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.Services.AddOptions<SimulatorOptions>().BindConfiguration(SimulatorOptions.SectionName);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SimulatorState>();
        builder.Services.AddHttpClient<GatewayWebhookClient>();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapGraphApi();
        app.MapGraphMediaApi();
        app.MapTwilioApi();
        app.MapPlayerApi();
        return app;
    }
}
