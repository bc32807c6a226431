using System.Globalization;
using Npgsql;
using SaasAssistants.Testing.Processes;

namespace SaasAssistants.Testing.Servers;

/// <summary>
/// PostgreSQL 15 from the Debian package, as the postgres user (it refuses root), data in <c>{Directory}/data</c>,
/// its Unix socket in <c>{Directory}/sockets</c>, TCP on 127.0.0.1 only. The superuser <c>postgres</c> needs a password
/// over TCP (scram-sha-256), as every other role does; the local socket is trusted, for psql.
/// Started in the foreground rather than with <c>pg_ctl start</c>: pg_ctl detaches the postmaster, which would escape our
/// process tree and the parent-death signal. Stopped with SIGINT, which is exactly <c>pg_ctl stop -m fast</c>.
/// </summary>
public sealed class PostgresServer : LocalServer
{
    public const string SuperUser = "postgres";
    private const string OsUser = "postgres";

    private readonly PostgresServerOptions _options;

    public PostgresServer(PostgresServerOptions options, Action<LogLine>? output = null)
        : base("postgres", output)
    {
        _options = options;
    }

    public int Port => _options.Port;

    public override IReadOnlyList<int> Ports => [_options.Port];

    private string DataDirectory => Path.Combine(_options.Directory, "data");

    private string SocketDirectory => Path.Combine(_options.Directory, "sockets");

    /// <summary>The superuser's connection string (the owner of everything; only the migrator and tests use it).</summary>
    public string GetConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = _options.Port,
        Username = SuperUser,
        Password = _options.Password,
        Database = database,
    }.ConnectionString;

    public override Task<bool> IsHealthyAsync(CancellationToken cancellationToken) =>
        PostgresHealth.CanConnectAsync(GetConnectionString(), cancellationToken);

    protected override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(SocketDirectory);
        if (NativeMethods.IsRoot)
        {
            await RunSetupCommandAsync(new ProcessSpec("/bin/chown", [$"{OsUser}:{OsUser}", _options.Directory, SocketDirectory]), cancellationToken).ConfigureAwait(false);
        }

        await StopLeftoverServerAsync().ConfigureAwait(false);
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await InitializeDataDirectoryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override ProcessSpec CreateProcessSpec()
    {
        List<string> arguments =
        [
            "-D", DataDirectory,
            "-p", _options.Port.ToString(CultureInfo.InvariantCulture),
            "-k", SocketDirectory,
            "-c", "listen_addresses=127.0.0.1",
        ];
        if (!_options.Durable)
        {
            // Throwaway test data: skip the disk flushes, which dominate small transactions.
            arguments.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }

        return new ProcessSpec(Path.Combine(BinDirectory, "postgres"), arguments)
        {
            RunAsUser = OsUser,
            StopSignal = NativeMethods.SIGINT,
            StopGracePeriod = TimeSpan.FromSeconds(10),
        };
    }

    private async Task InitializeDataDirectoryAsync(CancellationToken cancellationToken)
    {
        var passwordFile = Path.Combine(_options.Directory, "initdb-password");
        await File.WriteAllTextAsync(passwordFile, _options.Password, cancellationToken).ConfigureAwait(false);
        try
        {
            if (NativeMethods.IsRoot)
            {
                await RunSetupCommandAsync(new ProcessSpec("/bin/chown", [$"{OsUser}:{OsUser}", passwordFile]), cancellationToken).ConfigureAwait(false);
            }

            List<string> arguments =
            [
                "-D", DataDirectory, "-U", SuperUser, "--pwfile", passwordFile,
                "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
            ];
            if (!_options.Durable)
            {
                arguments.Add("--no-sync");
            }

            Write("initdb: creating a new data directory");
            await RunSetupCommandAsync(new ProcessSpec(Path.Combine(BinDirectory, "initdb"), arguments) { RunAsUser = OsUser }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>A postmaster of this very data folder still running (its AppHost did not get to stop it): stop it.</summary>
    private async Task StopLeftoverServerAsync()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile)
            || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !File.Exists($"/proc/{pid}/cmdline")
            || !File.ReadAllText($"/proc/{pid}/cmdline").Contains(DataDirectory, StringComparison.Ordinal))
        {
            return;
        }

        Write($"stopping a leftover postmaster (pid {pid}) of {DataDirectory}");
        NativeMethods.Kill(pid, NativeMethods.SIGINT);
        for (var i = 0; i < 100 && File.Exists($"/proc/{pid}/cmdline"); i++)
        {
            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    /// <summary>The newest installed server binaries (Debian: /usr/lib/postgresql/15/bin).</summary>
    public static string BinDirectory { get; } = Directory.Exists("/usr/lib/postgresql")
        ? Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => (Directory: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            .OrderByDescending(d => d.Version)
            .Select(d => Path.Combine(d.Directory, "bin"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "postgres"))) ?? "/usr/lib/postgresql/15/bin"
        : "/usr/lib/postgresql/15/bin";
}
