using SaasAssistants.AppHost.Hosting;
using SaasAssistants.Database.Setup;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.EndToEndTests;

/// <summary>The whole system (servers, migrator, four services) started once for the end-to-end tests.</summary>
public sealed class RunningSystem : IAsyncLifetime
{
    public const string Collection = "Running system";

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("Not started.");
    public SeedResult Seed => App.GetSeedResult();
    public Uri Gateway => App.GetEndpoint("gateway");
    public Uri WebApp => App.GetEndpoint("webapp");
    public Uri PublicApi => App.GetEndpoint("public-api");
    public TimeSpan TimeToReady => App.TimeToReady ?? TimeSpan.Zero;

    public async Task InitializeAsync() => _app = await DistributedApplicationTestingBuilder.StartAsync();

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }
}

[CollectionDefinition(RunningSystem.Collection)]
public sealed class RunningSystemCollection : ICollectionFixture<RunningSystem>;
