using System.Globalization;

namespace SaasAssistants.Bench.GatewayIntake;

/// <summary>The command line (see bench/README.md).</summary>
public sealed record BenchOptions
{
    public int Connections { get; init; } = 64;

    public int WarmUpSeconds { get; init; } = 30;

    public int Seconds { get; init; } = 20;

    /// <summary>Which scenarios run: the Gateway alone, and with the MessageProcessor consuming what it accepts.</summary>
    public IReadOnlyList<string> Scenarios { get; init; } = ["gateway", "pipeline"];

    public int PgbenchSeconds { get; init; } = 10;

    public bool Durable { get; init; } = true;

    public string Results { get; init; } = "bench/results";

    /// <summary>Extra environment for the services, e.g. <c>DOTNET_gcServer=0</c>, to measure a runtime setting.</summary>
    public IReadOnlyDictionary<string, string?> ServiceEnvironment { get; init; } = new Dictionary<string, string?>();

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int Number() => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new ArgumentException($"{name} needs a whole number.");
            options = name switch
            {
                "--connections" => options with { Connections = Math.Max(1, Number()) },
                "--warmup" => options with { WarmUpSeconds = Number() },
                "--seconds" => options with { Seconds = Math.Max(1, Number()) },
                "--scenarios" => options with { Scenarios = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--pgbench-seconds" => options with { PgbenchSeconds = Number() },
                "--no-fsync" => options with { Durable = false },
                "--results" => options with { Results = Value() },
                "--env" => options with { ServiceEnvironment = WithSetting(options.ServiceEnvironment, Value()) },
                _ => throw new ArgumentException(
                    $"Unknown argument {name}. Options: --connections N (64), --warmup S (5), --seconds S (20), --scenarios gateway,pipeline, --pgbench-seconds S (10; 0 skips), --no-fsync, --results DIR, --env NAME=VALUE (for the services; repeatable)"),
            };
        }
        if (options.Scenarios.Except(["gateway", "pipeline"]).FirstOrDefault() is { } unknown)
        {
            throw new ArgumentException($"Unknown scenario {unknown}: gateway or pipeline.");
        }
        return options;
    }

    private static Dictionary<string, string?> WithSetting(IReadOnlyDictionary<string, string?> settings, string setting)
    {
        var separator = setting.IndexOf('=', StringComparison.Ordinal);
        if (separator <= 0)
        {
            throw new ArgumentException($"--env needs NAME=VALUE, not {setting}.");
        }
        return new Dictionary<string, string?>(settings) { [setting[..separator]] = setting[(separator + 1)..] };
    }
}
