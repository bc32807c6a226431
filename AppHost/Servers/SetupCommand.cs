using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace SaasAssistants.AppHost.Servers;

/// <summary>A short preparation command (initdb, chown, pg_ctl) whose output goes to the resource's log in the dashboard.</summary>
internal static class SetupCommand
{
    /// <summary>Runs the command as <paramref name="osUser"/> when we are root (servers refuse or should not run as root).</summary>
    public static async Task<int> RunAsync(ILogger logger, string? osUser, string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = osUser is not null && Environment.IsPrivilegedProcess
            ? new ProcessStartInfo("runuser", ["-u", osUser, "--", fileName, .. arguments])
            : new ProcessStartInfo(fileName, arguments);
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Log(e.Data, LogLevel.Information);
        process.ErrorDataReceived += (_, e) => Log(e.Data, LogLevel.Warning);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode;

        void Log(string? line, LogLevel level)
        {
            if (line is not null)
            {
                logger.Log(level, "{Command}: {Line}", Path.GetFileName(fileName), line);
            }
        }
    }

    /// <summary>As <see cref="RunAsync"/>, throwing when the command fails.</summary>
    public static async Task RunCheckedAsync(ILogger logger, string? osUser, string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var exitCode = await RunAsync(logger, osUser, fileName, arguments, cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} failed with exit code {exitCode} (its output is in the resource's log).");
        }
    }
}
