using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SaasAssistants.AppHost.State;

namespace SaasAssistants.AppHost;

/// <summary>What a developer needs once everything is healthy: where to click and how to sign in.</summary>
internal static class DemoSummary
{
    // The seeder's demo agent (Shared.Database's SeedOptions defaults).
    private const string AgentSignIn = "agent@demo.local / demo-agent-1";

    private static readonly string[] Services = ["webapp", "gateway", "public-api", "message-processor"];

    /// <summary>Prints the summary once every service is healthy (not at all when the model lacks one, as a test's may).</summary>
    public static void AddDemoSummary(this IDistributedApplicationBuilder builder, AppHostState state, bool seeded) =>
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>((AfterResourcesCreatedEvent e, CancellationToken cancellationToken) =>
        {
            var model = e.Services.GetRequiredService<DistributedApplicationModel>();
            if (Services.All(name => model.Resources.Any(r => r.Name == name)))
            {
                var stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                _ = PrintWhenHealthyAsync(e.Services, model, state, seeded, stopping);
            }

            return Task.CompletedTask;
        });

    private static async Task PrintWhenHealthyAsync(IServiceProvider services, DistributedApplicationModel model, AppHostState state, bool seeded, CancellationToken stopping)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        try
        {
            await Task.WhenAll(Services.Select(name => notifications.WaitForResourceHealthyAsync(name, stopping)));
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var readyIn = DateTime.Now - Process.GetCurrentProcess().StartTime;

        string Url(string resource, string endpoint = "http") =>
            model.Resources.OfType<IResourceWithEndpoints>().First(r => r.Name == resource).GetEndpoint(endpoint).Url;

        var configuration = services.GetRequiredService<IConfiguration>();
        var dashboard = DashboardLink(configuration);
        // Ours or Aspire's container: both name the management UI's endpoint "management"; an existing broker has none.
        var hasLocalBroker = model.Resources.OfType<IResourceWithEndpoints>().Any(r => r.Name == "messaging" && r.Annotations.OfType<EndpointAnnotation>().Any(e => e.Name == "management"));
        var lines = new List<(string Label, string Value)>
        {
            ("dashboard", dashboard),
            ("webapp", Url("webapp")),
            ("sign in", seeded ? AgentSignIn : "(no demo seed on an existing database)"),
            ("demo API key", seeded ? state.Secrets.ApiKey : "(no demo seed)"),
            ("widget demo", Url("gateway") + "/demo"),
            ("WhatsApp sim", model.Resources.Any(r => r.Name == "channel-simulator") ? Url("channel-simulator") + "   (write as a WhatsApp or Instagram customer)" : "(no simulator on an existing database)"),
            ("public API", Url("public-api") + "/swagger" + (seeded ? "   (X-Api-Key: the demo API key)" : string.Empty)),
            ("RabbitMQ UI", hasLocalBroker ? Url("messaging", "management") + "   (guest/guest)" : "(existing broker)"),
            // Where, not what: the token stays in a file only its owner can read, out of terminal scroll-back and logs.
            ("admin token", $"AdminToken in {Path.Combine(state.Directory, "secrets.json")}   (X-Admin-Token for POST {Url("message-processor")}/admin/dead-letters/replay)"),
            ("state folder", state.Directory),
            ("ready in", $"{readyIn.TotalSeconds:0.0}s"),
        };

        Console.WriteLine();
        foreach (var (label, value) in lines)
        {
            Console.WriteLine($"  {label,-14} {value}");
        }

        Console.WriteLine();
    }

    /// <summary>
    /// The URL that opens the dashboard: its address when it allows anonymous access (Development, from the launch
    /// profile), else its login link with the browser token Aspire generated for this run (AppHost:BrowserToken).
    /// </summary>
    internal static string DashboardLink(IConfiguration configuration)
    {
        if (configuration["ASPNETCORE_URLS"]?.Split(';')[0].TrimEnd('/') is not { Length: > 0 } dashboard)
        {
            return "(no dashboard)";
        }

        var anonymous = configuration.GetValue("ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS", false)
            || configuration.GetValue("DOTNET_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS", false);
        return anonymous || configuration["AppHost:BrowserToken"] is not { Length: > 0 } token
            ? dashboard
            : $"{dashboard}/login?t={token}";
    }
}
