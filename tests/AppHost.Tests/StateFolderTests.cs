using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.AppHost.Tests;

/// <summary>Any checkout works: a state folder the postgres user cannot enter (a home of mode 0700, as /root) still runs PostgreSQL.</summary>
public sealed class StateFolderTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("saas-testing-home-").FullName;

    [Fact]
    public async Task PostgreSQL_starts_when_the_state_folder_is_under_a_home_others_cannot_enter()
    {
        File.SetUnixFileMode(_home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var arguments = new AppHostArguments(Path.Combine(_home, "checkout", ".apphost"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(arguments.ToArgs("--reset"), timeout.Token);
        // The server alone: the rest of the system has nothing to do with where its data lives.
        foreach (var resource in builder.Resources.Where(r => r.Name != "postgres" && r is not ParameterResource).ToList())
        {
            builder.Resources.Remove(resource);
        }

        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartUntilHealthyAsync(["postgres"], timeout.Token);

        var server = builder.Resources.OfType<LocalPostgresServerResource>().Single();
        // As root the server runs as the postgres user, who cannot enter the home: its data lives outside. Otherwise it runs as us.
        Assert.StartsWith(Environment.IsPrivilegedProcess ? "/var/lib/saas-assistants/" : arguments.StateDirectory, server.DataRoot, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(server.DataRoot, "data", "PG_VERSION")));
        await app.StopAsync(timeout.Token);
        if (Environment.IsPrivilegedProcess)
        {
            Directory.Delete(Path.GetDirectoryName(server.DataRoot)!, recursive: true);
        }
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
