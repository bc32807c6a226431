using System.Diagnostics;
using SaasAssistants.Bench.ConversationEngine;

// dotnet run -c Release --project bench/ConversationEngine [-- precision|overhead|exactly-once|all] [--conversations N]
//   [--buffer-ms N] [--processors N] [--burst-gap-ms N] [--messages N] [--rate N] [--buffer-ms-crash N]
// Real MessageProcessor processes (and for overhead a real Gateway; Release build output, product defaults, the built-in responder: a provider that
// answers at once) on the servers tests/Testing starts (PostgreSQL 15 with fsync off, Redis, RabbitMQ). See ../README.md.
var scenario = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
var conversations = Option("--conversations", 1000);
var bufferMs = Option("--buffer-ms", 2000);
var processors = Option("--processors", 1);
Scenarios.BurstGap = TimeSpan.FromMilliseconds(Option("--burst-gap-ms", 0));

Console.WriteLine($"load before: {Load()}");
if (scenario is "precision" or "all")
{
    await Scenarios.BufferPrecisionAsync(conversations, bufferMs, processors);
}

if (scenario is "overhead" or "all")
{
    await Scenarios.ReplyOverheadAsync(Option("--messages", 100), Option("--rate", 2));
}

if (scenario is "exactly-once" or "all")
{
    await Scenarios.ExactlyOnceAsync(conversations, Option("--buffer-ms-crash", 1000));
}

Console.WriteLine($"load after: {Load()}");
return 0;

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}

static string Load() => File.ReadAllText("/proc/loadavg").Trim() + $" ({Environment.ProcessorCount} cores)";
