using System.Runtime.InteropServices;
using SaasAssistants.Bench.TaskThroughput;

// The same executable is the benchmark and, started by it, each worker process.
if (args is [WorkerProcess.Argument])
{
    return await WorkerProcess.RunAsync();
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

// Ctrl+C or SIGTERM unwinds normally, so the workers and PostgreSQL are stopped and the temporary folder deleted.
using var stopping = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
try
{
    return await Benchmark.RunAsync(options, stopping.Token);
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    Console.Error.WriteLine("stopped");
    return 130;
}

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}
