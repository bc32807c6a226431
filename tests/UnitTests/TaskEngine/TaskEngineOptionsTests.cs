using SaasAssistants.MessageProcessor.Tasks;
using Xunit;

namespace SaasAssistants.UnitTests.TaskEngine;

public class TaskEngineOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_beat_three_times_per_lease()
    {
        var options = new TaskEngineOptions();

        Assert.Empty(options.Validate());
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)),
            (options.Lease, options.HeartbeatInterval, options.PollInterval, options.ShutdownGrace));
    }

    [Fact]
    public void Every_problem_is_named()
    {
        var options = new TaskEngineOptions { Concurrency = 0, BatchSize = 0, Lease = TimeSpan.FromMilliseconds(10), RetryMaxDelay = TimeSpan.FromSeconds(1) };

        var result = new TaskEngineOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(4, result.Failures!.Count());
        Assert.Contains(result.Failures!, failure => failure.Contains("Tasks:Lease"));
    }
}
