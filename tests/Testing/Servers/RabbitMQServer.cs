using System.Globalization;
using SaasAssistants.Testing.Processes;

namespace SaasAssistants.Testing.Servers;

/// <summary>
/// RabbitMQ 3.10 from the Debian package, started with <c>/usr/lib/rabbitmq/bin/rabbitmq-server</c> (the /usr/sbin
/// wrapper switches to the rabbitmq user, which cannot write our folders), with every file it uses inside
/// <c>{Directory}</c> and an Erlang port mapper (epmd) of its own, started first as a second child process.
/// </summary>
public sealed class RabbitMQServer : LocalServer
{
    public const string DefaultUser = "guest";
    public const string DefaultPassword = "guest";

    private readonly RabbitMQServerOptions _options;
    private ManagedProcess? _portMapper;

    public RabbitMQServer(RabbitMQServerOptions options, Action<LogLine>? output = null)
        : base("messaging", output)
    {
        _options = options;
    }

    public int AmqpPort => _options.AmqpPort;

    public int? ManagementPort => _options.ManagementPort;

    public override IReadOnlyList<int> Ports =>
        _options.ManagementPort is { } management
            ? [_options.AmqpPort, _options.DistributionPort, _options.EpmdPort, management]
            : [_options.AmqpPort, _options.DistributionPort, _options.EpmdPort];

    public string ConnectionString => $"amqp://{DefaultUser}:{DefaultPassword}@localhost:{_options.AmqpPort}";

    public string? ManagementUrl => _options.ManagementPort is { } port ? $"http://localhost:{port}" : null;

    public override Task<bool> IsHealthyAsync(CancellationToken cancellationToken) =>
        RabbitMQHealth.IsHealthyAsync("127.0.0.1", _options.AmqpPort, _options.ManagementPort, cancellationToken);

    public override async Task StopAsync(bool graceful = true)
    {
        await base.StopAsync(graceful).ConfigureAwait(false);
        if (_portMapper is not null)
        {
            await _portMapper.StopAsync(graceful).ConfigureAwait(false);
        }
    }

    public override void Kill()
    {
        base.Kill();
        _portMapper?.Kill();
    }

    protected override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.Combine(_options.Directory, "home"));
        Directory.CreateDirectory(Path.Combine(_options.Directory, "log"));
        await File.WriteAllTextAsync(Path.Combine(_options.Directory, "enabled_plugins"), _options.ManagementPort is null ? "[]." : "[rabbitmq_management].", cancellationToken).ConfigureAwait(false);
        await File.WriteAllLinesAsync(Path.Combine(_options.Directory, "rabbitmq.conf"), ConfigurationLines(), cancellationToken).ConfigureAwait(false);

        _portMapper = await ManagedProcess.StartAsync(
            new ProcessSpec("/usr/bin/epmd", ["-port", _options.EpmdPort.ToString(CultureInfo.InvariantCulture), "-address", "127.0.0.1"]),
            Write).ConfigureAwait(false);
    }

    protected override ProcessSpec CreateProcessSpec()
    {
        var directory = _options.Directory;
        return new ProcessSpec("/usr/lib/rabbitmq/bin/rabbitmq-server", [])
        {
            WorkingDirectory = directory,
            Environment = new Dictionary<string, string?>
            {
                ["HOME"] = Path.Combine(directory, "home"),
                ["ERL_EPMD_PORT"] = _options.EpmdPort.ToString(CultureInfo.InvariantCulture),
                ["RABBITMQ_NODENAME"] = _options.NodeName,
                ["RABBITMQ_NODE_PORT"] = _options.AmqpPort.ToString(CultureInfo.InvariantCulture),
                ["RABBITMQ_DIST_PORT"] = _options.DistributionPort.ToString(CultureInfo.InvariantCulture),
                ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
                ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
                ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins"),
                ["RABBITMQ_FEATURE_FLAGS_FILE"] = Path.Combine(directory, "feature_flags"),
                ["RABBITMQ_PLUGINS_EXPAND_DIR"] = Path.Combine(directory, "plugins"),
                ["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq"),
                // Keep the machine-wide files in /etc/rabbitmq out of it.
                ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(directory, "rabbitmq-env.conf"),
                ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(directory, "advanced.config"),
            },
            StopSignal = NativeMethods.SIGTERM,
            // A clean shutdown takes about 6 s here (mostly the management plugin).
            StopGracePeriod = TimeSpan.FromSeconds(15),
        };
    }

    private IEnumerable<string> ConfigurationLines()
    {
        yield return $"listeners.tcp.default = {_options.AmqpPort}";
        // Logs to the console only: we capture it for the dashboard.
        yield return "log.console = true";
        yield return "log.console.level = info";
        yield return "log.file = false";
        if (_options.ManagementPort is { } management)
        {
            yield return $"management.tcp.port = {management}";
            yield return "management.tcp.ip = 127.0.0.1";
        }
    }
}
