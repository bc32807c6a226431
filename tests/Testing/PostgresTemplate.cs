using System.Runtime.Versioning;
using SaasAssistants.Testing.Processes;
using SaasAssistants.Testing.Servers;

namespace SaasAssistants.Testing;

/// <summary>
/// An initialised PostgreSQL data folder kept between test runs (in the temp directory), copied for each run:
/// copying takes a fraction of a second where initdb takes one to several (it writes and checks ~40 MB).
/// Made once by starting and cleanly stopping a server; published with an atomic rename, so concurrent test runs
/// never see half of one.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class PostgresTemplate
{
    private const string Version = "v1";

    /// <summary>Per major version (a data folder only works with the version that made it): /tmp/saas-testing-cache/postgres15-v1.</summary>
    private static string Root => Path.Combine(
        Path.GetTempPath(), "saas-testing-cache", $"postgres{Path.GetFileName(Path.GetDirectoryName(PostgresServer.BinDirectory))}-{Version}");

    /// <summary>Fills <paramref name="directory"/> (a PostgresServer folder) with a copy of the template; returns the superuser's password.</summary>
    public static async Task<string> CopyToAsync(string directory)
    {
        await EnsureExistsAsync().ConfigureAwait(false);
        Directory.CreateDirectory(directory);
        var exitCode = await ManagedProcess.RunAsync(
            new ProcessSpec("/bin/cp", ["-a", Path.Combine(Root, "data"), Path.Combine(directory, "data")]), _ => { }, CancellationToken.None).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"Copying the PostgreSQL template from {Root} failed (exit code {exitCode}).");
        }

        return await File.ReadAllTextAsync(Path.Combine(Root, "password")).ConfigureAwait(false);
    }

    private static async Task EnsureExistsAsync()
    {
        if (File.Exists(Path.Combine(Root, "password")))
        {
            return;
        }

        var building = Root + "-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(building);
        File.SetUnixFileMode(building, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Path.GetDirectoryName(building)!, (UnixFileMode)0b111_101_101);
        var password = TestSecrets.RandomUrlSafe(24);
        await using (var server = new PostgresServer(new PostgresServerOptions(building, PortAvailability.GetFreePort(), password) { Durable = false }))
        {
            await server.StartAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        }

        Directory.Delete(Path.Combine(building, "sockets"), recursive: true);
        await File.WriteAllTextAsync(Path.Combine(building, "password"), password).ConfigureAwait(false);
        try
        {
            Directory.Move(building, Root);
        }
        catch (IOException)
        {
            // Another test run published one first: use that.
            Directory.Delete(building, recursive: true);
        }
    }
}
