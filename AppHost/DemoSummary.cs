using SaasAssistants.AppHost.Hosting;
using SaasAssistants.AppHost.Hosting.ApplicationModel;

/// <summary>What a developer needs once everything is up: where to click and how to sign in.</summary>
internal static class DemoSummary
{
    public static void Print(DistributedApplication app)
    {
        var seed = app.GetResource<MigratorResource>("migrator").Result;
        var lines = new List<(string Label, string Value)>
        {
            ("dashboard", app.DashboardUrl?.ToString() ?? "(disabled)"),
            ("webapp", app.GetEndpoint("webapp").ToString()),
            ("sign in", seed is null ? "(no seed)" : $"{seed.AgentEmail} / {seed.AgentPassword}"),
            ("demo API key", seed?.ApiKey ?? "(no seed)"),
            ("widget demo", new Uri(app.GetEndpoint("gateway"), "/demo").ToString()),
            ("public API", new Uri(app.GetEndpoint("public-api"), "/swagger") + (seed is null ? string.Empty : "   (X-Api-Key: the demo API key)")),
            ("RabbitMQ UI", app.GetEndpoint("messaging", "management") + " (guest/guest)"),
            ("ready in", $"{app.TimeToReady?.TotalSeconds:0.0}s"),
        };

        Console.WriteLine();
        foreach (var (label, value) in lines)
        {
            Console.WriteLine($"  {label,-14} {value}");
        }

        Console.WriteLine();
    }
}
