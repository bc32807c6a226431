using SaasAssistants.AppHost.Hosting.Processes;
using SaasAssistants.AppHost.Hosting.Servers;
using Xunit;

namespace SaasAssistants.AppHost.Tests.Support;

internal static class ProcessAssertions
{
    /// <summary>Waits up to the timeout for every process to be gone, then asserts it (naming the survivors).</summary>
    public static async Task AllGoneAsync(IReadOnlyCollection<ProcessIdentity> processes, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (processes.Any(ProcessTree.IsAlive) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var survivors = processes.Where(ProcessTree.IsAlive).Select(p => $"{p.Pid} ({Command(p.Pid)})").ToList();
        Assert.True(survivors.Count == 0, "Still running: " + string.Join(", ", survivors));
    }

    public static void PortsFree(IEnumerable<int> ports)
    {
        var taken = ports.Where(port => !PortAvailability.IsFree(port)).ToList();
        Assert.True(taken.Count == 0, "Still bound: " + string.Join(", ", taken));
    }

    private static string Command(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
