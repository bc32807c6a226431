using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.AppHost.State;

namespace SaasAssistants.AppHost;

/// <summary>What a developer needs once everything is healthy: where to click and how to sign in.</summary>
internal static class DemoSummary
{
    // The seeder's demo agent (Shared.Database's SeedOptions defaults).
    private const string AgentSignIn = "agent@demo.local / demo-agent-1";

    public static async Task PrintWhenHealthyAsync(DistributedApplication app, AppHostState state, bool seeded)
    {
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        var projects = app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<ProjectResource>().Where(p => p.Name != "migrator").ToList();
        await Task.WhenAll(projects.Select(p => notifications.WaitForResourceHealthyAsync(p.Name)));
        var readyIn = DateTime.Now - Process.GetCurrentProcess().StartTime;

        string Url(string resource, string endpoint = "http") =>
            projects.Concat(app.Services.GetRequiredService<DistributedApplicationModel>().Resources)
                .OfType<IResourceWithEndpoints>().First(r => r.Name == resource).GetEndpoint(endpoint).Url;

        var configuration = app.Services.GetRequiredService<IConfiguration>();
        var dashboard = configuration["ASPNETCORE_URLS"]?.Split(';')[0] ?? "(no dashboard)";
        var anonymous = configuration.GetValue("ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS", false);
        var hasLocalBroker = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<RabbitMQServerResource>().Any();
        var lines = new List<(string Label, string Value)>
        {
            ("dashboard", anonymous ? dashboard : $"{dashboard}   (sign-in link: 'Login to the dashboard at' above)"),
            ("webapp", Url("webapp")),
            ("sign in", seeded ? AgentSignIn : "(no demo seed on an existing database)"),
            ("demo API key", seeded ? state.Secrets.ApiKey : "(no demo seed)"),
            ("widget demo", Url("gateway") + "/demo"),
            ("public API", Url("public-api") + "/swagger" + (seeded ? "   (X-Api-Key: the demo API key)" : string.Empty)),
            ("RabbitMQ UI", hasLocalBroker ? Url("messaging", RabbitMQServerResource.ManagementEndpointName) + "   (guest/guest)" : "(existing broker)"),
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
}
