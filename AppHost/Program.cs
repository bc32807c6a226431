using SaasAssistants.AppHost.Hosting;
using SaasAssistants.AppHost.Hosting.ApplicationModel;

// dotnet run --project AppHost [-- options]
//   --state-dir DIR        state folder (default: .apphost/ at the repository root); --reset deletes it first
//   --dashboard-port N     dashboard port (default 18888)
//   --AppHost:EchoLogs=true  echo every resource's console output here too (otherwise: the dashboard)
//   --Ports:gateway=6001   any port, by resource name (messaging-management, messaging-dist, messaging-epmd for RabbitMQ's others);
//                          also as environment variable Ports__gateway=6001 or in AppHost/appsettings.json
//   --ConnectionStrings:postgres="Host=..;Username=..;Password=.."   use an existing server instead of a local one
//                          (likewise ConnectionStrings:redis, ConnectionStrings:messaging)
//   --Seed:ApiKey=..  --Seed:WebChannelToken=..   fixed demo credentials instead of the generated ones
var builder = DistributedApplication.CreateBuilder(args);
AppHostModel.Configure(builder);
await builder.Build().RunAsync();

/// <summary>The whole system, declared once; the AppHost runs it and tests start it (tests/Testing).</summary>
public static class AppHostModel
{
    public static void Configure(IDistributedApplicationBuilder builder)
    {
        var postgres = builder.AddPostgres("postgres", port: 55432);
        var database = postgres.AddDatabase("saas").WithAppRole("saas_app");
        var redis = builder.AddRedis("redis", port: 56379);
        var messaging = builder.AddRabbitMQ("messaging", port: 55672).WithManagementPlugin(port: 55673);

        var migrator = builder.AddMigrator("migrator", database);

        var gateway = AddService(builder, "gateway", "../Gateway/Gateway.csproj", port: 5101, migrator)
            .WithReference(database).WaitFor(database)
            .WithReference(redis).WaitFor(redis)
            .WithReference(messaging).WaitFor(messaging)
            // The gateway renders /demo for the demo web channel.
            .WithEnvironment("Seed__WebChannelToken", () => migrator.Resource.Result?.WebChannelToken ?? builder.State.Secrets.WebChannelToken);

        AddService(builder, "message-processor", "../MessageProcessor/MessageProcessor.csproj", port: 5103, migrator)
            .WithReference(database).WaitFor(database)
            .WithReference(redis).WaitFor(redis)
            .WithReference(messaging).WaitFor(messaging)
            // Replies for the web widget are delivered through the gateway, which holds the visitors' live connections.
            .WithReference(gateway);

        AddService(builder, "public-api", "../PublicApi/PublicApi.csproj", port: 5102, migrator)
            .WithReference(database).WaitFor(database)
            .WithReference(messaging).WaitFor(messaging);

        AddService(builder, "webapp", "../WebApp/WebApp.csproj", port: 5100, migrator)
            .WithReference(database).WaitFor(database)
            .WithReference(messaging).WaitFor(messaging)
            // The channel pages show the widget's install snippet, which points at the gateway.
            .WithReference(gateway);

        builder.OnReady((app, _) =>
        {
            DemoSummary.Print(app);
            return Task.CompletedTask;
        });
    }

    /// <summary>A service of ours: its port, the key for channel secrets at rest, and nothing before the database is set up.</summary>
    private static IResourceBuilder<ProjectResource> AddService(
        IDistributedApplicationBuilder builder, string name, string projectPath, int port, IResourceBuilder<MigratorResource> migrator) =>
        builder.AddProject(name, projectPath)
            .WithHttpEndpoint(port: port)
            .WithEnvironment("Secrets__EncryptionKey", () => builder.State.Secrets.EncryptionKey)
            .WaitForCompletion(migrator);
}
