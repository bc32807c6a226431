using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace SaasAssistants.AppHost.Servers;

/// <summary>
/// Whether Aspire's container resources can run here: the runtime Aspire would use (ASPIRE_CONTAINER_RUNTIME, else
/// docker) answers <c>info</c>. A docker CLI without a daemon (this machine) does not, and then the servers run as local
/// processes instead; a container resource would only sit in "Runtime unhealthy" and keep everything waiting.
/// <c>AppHost:Containers=false|true</c> skips the check.
/// </summary>
internal static class ContainerRuntime
{
    // Asked once per AppHost: each server asks, and `docker info` is a process start (slow on a busy machine).
    private static bool? _available;

    public static bool IsAvailable(IConfiguration configuration) =>
        configuration.GetValue<bool?>("AppHost:Containers") ?? (_available ??= RuntimeAnswers(configuration));

    private static bool RuntimeAnswers(IConfiguration configuration)
    {

        var runtime = configuration["ASPIRE_CONTAINER_RUNTIME"] is { Length: > 0 } named ? named : "docker";
        try
        {
            using var info = Process.Start(new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (info is null)
            {
                return false;
            }

            if (!info.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                info.Kill();
                return false;
            }

            return info.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not installed.
            return false;
        }
    }
}
