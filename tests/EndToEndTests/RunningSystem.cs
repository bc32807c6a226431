using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using SaasAssistants.Database.Setup;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.EndToEndTests;

/// <summary>
/// The whole system (servers, migrator, four services) started once for the end-to-end tests with Aspire.Hosting.Testing,
/// on free ports and a temporary state folder, so it never collides with a developer's running AppHost.
/// </summary>
public sealed class RunningSystem : IAsyncLifetime
{
    public const string Collection = "Running system";
    private static readonly string[] Services = ["gateway", "message-processor", "public-api", "webapp"];

    private readonly AppHostArguments _arguments = AppHostArguments.InNewStateDirectory();
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("Not started.");

    /// <summary>The demo tenant's credentials: the API key and channel token we passed, the seeder's demo agent.</summary>
    public SeedOptions Seed { get; }

    public Uri Gateway => App.GetEndpoint("gateway", "http");
    public Uri WebApp => App.GetEndpoint("webapp", "http");
    public Uri PublicApi => App.GetEndpoint("public-api", "http");
    public Uri ChannelSimulator => App.GetEndpoint("channel-simulator", "http");

    /// <summary>The AppHost's arguments: ports, state folder and the demo channels' settings we chose.</summary>
    public AppHostArguments Arguments => _arguments;
    public TimeSpan TimeToReady { get; private set; }

    public RunningSystem() => Seed = new SeedOptions
    {
        ApiKey = _arguments.ApiKey,
        WebChannelToken = _arguments.WebChannelToken,
        EncryptionKey = string.Empty,
    };

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(_arguments.ToArgs(), timeout.Token);
        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartUntilHealthyAsync(Services, timeout.Token);
        TimeToReady = clock.Elapsed;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _arguments.DeleteStateDirectory();
    }
}

[CollectionDefinition(RunningSystem.Collection)]
public sealed class RunningSystemCollection : ICollectionFixture<RunningSystem>;
