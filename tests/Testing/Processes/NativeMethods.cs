using System.Runtime.InteropServices;

namespace SaasAssistants.Testing.Processes;

/// <summary>The two libc calls .NET does not expose: signals to a pid or a process group, and the effective user.</summary>
internal static partial class NativeMethods
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint SysGetEuid();

    /// <summary>Sends a signal; a negative pid addresses the whole process group. Failures (already gone) are ignored.</summary>
    public static void Kill(int pid, int signal) => _ = SysKill(pid, signal);

    public static bool IsRoot => SysGetEuid() == 0;

    public static string SignalName(int signal) => signal switch
    {
        SIGINT => "INT",
        SIGKILL => "KILL",
        SIGTERM => "TERM",
        _ => signal.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
