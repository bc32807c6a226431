using System.Runtime.Versioning;
using Microsoft.Extensions.Configuration;
using SaasAssistants.AppHost.Hosting;

namespace SaasAssistants.Testing;

/// <summary>
/// Starts the AppHost's model inside the test process (our DistributedApplicationTestingBuilder): the same
/// <c>AppHostModel.Configure</c> the AppHost runs, isolated — a temporary state folder deleted on dispose, every port
/// (dashboard included) free, no console echo, no appsettings and no connection strings from the environment.
/// Arguments work as on the AppHost's command line and win (e.g. <c>--Seed:ApiKey=...</c>).
/// </summary>
[SupportedOSPlatform("linux")]
public static class DistributedApplicationTestingBuilder
{
    /// <summary>The whole system: servers, migrator, the four services.</summary>
    public static IDistributedApplicationBuilder Create(params string[] args)
    {
        var builder = CreateEmpty(args);
        AppHostModel.Configure(builder);
        return builder;
    }

    /// <summary>The same isolation with no resources: for a model of the test's own.</summary>
    public static IDistributedApplicationBuilder CreateEmpty(params string[] args)
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = args, ReadAppSettings = false });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [AppHostSettings.StateDirectoryKey] = TemporaryFolders.NewPath("saas-testing-apphost"),
            [AppHostSettings.EphemeralStateKey] = "true",
            [AppHostSettings.RandomPortsKey] = "true",
            [AppHostSettings.EchoLogsKey] = "false",
            ["ConnectionStrings:postgres"] = string.Empty,
            ["ConnectionStrings:redis"] = string.Empty,
            ["ConnectionStrings:messaging"] = string.Empty,
        });
        builder.Configuration.AddCommandLine(args.Where(a => a != "--reset").ToArray());
        return builder;
    }

    /// <summary>Create, Build and StartAsync: returns once every resource is healthy (throws, with everything stopped, if one fails).</summary>
    public static async Task<DistributedApplication> StartAsync(params string[] args)
    {
        var app = Create(args).Build();
        await app.StartAsync().ConfigureAwait(false);
        return app;
    }
}
