using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.AppHost.Tests;

/// <summary>
/// <c>ConnectionStrings:NAME</c> in the AppHost's configuration replaces the local server (Aspire's AddConnectionString):
/// nothing is started for it, the migrator sets the database up there as its owner, the services get the app role, and
/// no demo tenant (a known sign-in) is seeded into a database we were pointed at.
/// </summary>
public sealed class ExternalServerTests : IAsyncLifetime
{
    private readonly AppHostArguments _arguments = AppHostArguments.InNewStateDirectory();
    private string _owner = string.Empty;

    public async Task InitializeAsync() => _owner = await TestServers.Shared.GetPostgresConnectionStringAsync();

    public Task DisposeAsync()
    {
        _arguments.DeleteStateDirectory();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Existing_servers_are_used_and_the_services_connect_as_the_app_role_without_a_demo_seed()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(_arguments.ToArgs(
            $"--ConnectionStrings:postgres={_owner}",
            $"--ConnectionStrings:redis={await TestServers.Shared.GetRedisConnectionStringAsync()}",
            $"--ConnectionStrings:messaging={await TestServers.Shared.GetRabbitMQConnectionStringAsync()}"), timeout.Token);
        // Aspire's AddConnectionString: a connection string from configuration, no process.
        Assert.All(new[] { "postgres", "redis", "messaging" }, name =>
        {
            var server = builder.Resources.Single(r => r.Name == name);
            Assert.IsAssignableFrom<IResourceWithConnectionString>(server);
            Assert.IsNotAssignableFrom<ExecutableResource>(server);
        });
        Assert.DoesNotContain(builder.Resources, r => r.Name == "messaging-epmd");
        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartUntilHealthyAsync(["gateway"], timeout.Token);

        var gateway = (IResourceWithEnvironment)builder.Resources.Single(r => r.Name == "gateway");
        // What the gateway was started with, resolved as DCP resolved it.
        var configuration = await ExecutionConfigurationBuilder.Create(gateway).WithEnvironmentVariablesConfig()
            .BuildAsync(app.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, timeout.Token);
        var environment = configuration.EnvironmentVariables.ToDictionary();
        var services = new NpgsqlConnectionStringBuilder(environment["ConnectionStrings__saas"]);
        Assert.Equal(("saas_app", "saas"), (services.Username, services.Database));
        Assert.DoesNotContain(new NpgsqlConnectionStringBuilder(_owner).Password!, environment["ConnectionStrings__saas"], StringComparison.Ordinal);
        Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"]);

        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_owner) { Database = "saas", Pooling = false }.ConnectionString);
        await connection.OpenAsync(timeout.Token);
        await using var tenants = new NpgsqlCommand("SELECT count(*) FROM tenants", connection);
        Assert.Equal(0L, await tenants.ExecuteScalarAsync(timeout.Token));
        await using var role = new NpgsqlCommand("SELECT count(*) FROM pg_roles WHERE rolname = 'saas_app' AND NOT rolsuper AND NOT rolbypassrls", connection);
        Assert.Equal(1L, await role.ExecuteScalarAsync(timeout.Token));
    }
}
