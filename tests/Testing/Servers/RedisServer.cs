using System.Globalization;
using SaasAssistants.Testing.Processes;

namespace SaasAssistants.Testing.Servers;

/// <summary>Redis 7 from the Debian package, on 127.0.0.1, data in <c>{Directory}</c> (append-only file when durable).</summary>
public sealed class RedisServer : LocalServer
{
    private readonly RedisServerOptions _options;

    public RedisServer(RedisServerOptions options, Action<LogLine>? output = null)
        : base("redis", output)
    {
        _options = options;
    }

    public int Port => _options.Port;

    public override IReadOnlyList<int> Ports => [_options.Port];

    /// <summary>StackExchange.Redis form: <c>host:port</c>.</summary>
    public string ConnectionString => $"127.0.0.1:{_options.Port}";

    public override Task<bool> IsHealthyAsync(CancellationToken cancellationToken) =>
        RedisHealth.PingAsync("127.0.0.1", _options.Port, password: null, cancellationToken);

    protected override Task PrepareAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_options.Directory);
        return Task.CompletedTask;
    }

    protected override ProcessSpec CreateProcessSpec() => new(
        "/usr/bin/redis-server",
        [
            "--port", _options.Port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--dir", _options.Directory,
            "--save", string.Empty,
            "--appendonly", _options.Durable ? "yes" : "no",
        ])
    {
        StopSignal = NativeMethods.SIGTERM,
    };
}
