using System.Globalization;
using SaasAssistants.Testing.Processes;

namespace SaasAssistants.Testing.Servers;

/// <summary>Redis 7 from the Debian package, on 127.0.0.1, data in <c>{Directory}</c> (append-only file when durable).</summary>
public sealed class RedisServer : LocalServer
{
    private readonly RedisServerOptions options;

    public RedisServer(RedisServerOptions options, Action<LogLine>? output = null)
        : base("redis", output)
    {
        this.options = options;
    }

    public int Port => options.Port;

    public override IReadOnlyList<int> Ports => [options.Port];

    /// <summary>StackExchange.Redis form: <c>host:port</c>.</summary>
    public string ConnectionString => $"127.0.0.1:{options.Port}";

    public override Task<bool> IsHealthyAsync(CancellationToken cancellationToken) =>
        RedisHealth.PingAsync("127.0.0.1", options.Port, password: null, cancellationToken);

    protected override Task PrepareAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.Directory);
        return Task.CompletedTask;
    }

    protected override ProcessSpec CreateProcessSpec() => new(
        "/usr/bin/redis-server",
        [
            "--port", options.Port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--dir", options.Directory,
            "--save", string.Empty,
            "--appendonly", options.Durable ? "yes" : "no",
        ])
    {
        StopSignal = NativeMethods.SIGTERM,
    };
}
