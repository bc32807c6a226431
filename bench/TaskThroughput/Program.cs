using SaasAssistants.Bench;
using SaasAssistants.Bench.TaskThroughput;

// The same executable is the benchmark and, started by it, each worker process.
if (args is [WorkerProcess.Argument])
{
    return await WorkerProcess.RunAsync();
}

// Ctrl+C or SIGTERM unwinds normally, so the workers and PostgreSQL are stopped and the temporary folder deleted.
return await BenchProgram.RunAsync(() => BenchOptions.Parse(args), Benchmark.RunAsync);
