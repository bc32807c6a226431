using SaasAssistants.MessageProcessor.Tasks;
using Xunit;

namespace SaasAssistants.UnitTests.TaskEngine;

public class WorkerIdentityTests
{
    [Fact]
    public void A_worker_is_named_machine_pid_and_a_random_suffix()
    {
        var first = new WorkerIdentity();
        var second = new WorkerIdentity();

        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(Environment.MachineName)}:{Environment.ProcessId}:[0-9a-f]{{8}}$", first.Name);
        Assert.NotEqual(first.Name, second.Name);
    }
}
