using SaasAssistants.Bench;
using SaasAssistants.Bench.GatewayIntake;

// Ctrl+C or SIGTERM unwinds normally, so the services and servers are stopped and the temporary folder deleted.
return await BenchProgram.RunAsync(() => BenchOptions.Parse(args), Benchmark.RunAsync);
