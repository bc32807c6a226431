using Npgsql;
using SaasAssistants.AppHost.Hosting;
using SaasAssistants.AppHost.Hosting.ApplicationModel;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.AppHost.Tests;

/// <summary>A connection string in the AppHost's configuration replaces the local server, as in Aspire.</summary>
public sealed class ExternalServerTests
{
    [Fact]
    public async Task A_configured_postgres_is_used_as_owner_and_services_get_the_app_role()
    {
        var owner = await TestServers.Shared.GetPostgresConnectionStringAsync();
        var databaseName = "t_external_" + Guid.NewGuid().ToString("N")[..8];
        var builder = DistributedApplicationTestingBuilder.CreateEmpty($"--ConnectionStrings:postgres={owner}");
        // Its own role name: roles belong to the server, which other tests share (with saas_app).
        var database = builder.AddPostgres("postgres").AddDatabase("saas", databaseName).WithAppRole("external_app");
        builder.AddMigrator("migrator", database);

        await using var app = builder.Build();
        await app.StartAsync();

        Assert.Null(app.ResourceNotifications.GetSnapshot("postgres").ProcessId);
        Assert.NotNull(app.GetResource<MigratorResource>("migrator").Result);
        var services = new NpgsqlConnectionStringBuilder(app.GetConnectionString("saas"));
        Assert.Equal(("external_app", databaseName), (services.Username, services.Database));
        await using var connection = new NpgsqlConnection(app.GetConnectionString("saas"));
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT current_user", connection);
        Assert.Equal("external_app", await query.ExecuteScalarAsync());

        await app.StopAsync();
        NpgsqlConnection.ClearAllPools();
        await using var cleanup = new NpgsqlConnection(owner);
        await cleanup.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE \"{databaseName}\" WITH (FORCE)", cleanup);
        await drop.ExecuteNonQueryAsync();
    }
}
