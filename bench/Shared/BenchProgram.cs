using System.Runtime.InteropServices;

namespace SaasAssistants.Bench;

/// <summary>
/// A benchmark's Main, shared by the benchmarks that start their own servers (linked into each project): options
/// parsed (a bad one is exit code 2), then the run, which Ctrl+C or SIGTERM cancels so that it unwinds normally and
/// stops what it started (by pid) and deletes its temporary folder (exit code 130).
/// </summary>
internal static class BenchProgram
{
    public static async Task<int> RunAsync<TOptions>(Func<TOptions> parseOptions, Func<TOptions, CancellationToken, Task<int>> run)
    {
        TOptions options;
        try
        {
            options = parseOptions();
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        using var stopping = new CancellationTokenSource();
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            return await run(options, stopping.Token);
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
    }
}
