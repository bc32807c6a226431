using System.Diagnostics;
using SaasAssistants.Database.Tasks;
using SaasAssistants.IntegrationTests.TaskEngine.Support;
using Xunit;
using Xunit.Abstractions;

namespace SaasAssistants.IntegrationTests.TaskEngine;

[Collection(TaskEngineCollection.Name)]
public sealed class ExactlyOnceTests(TaskEngineFixture fixture, ITestOutputHelper output) : IClassFixture<TaskEngineFixture>
{
    [Fact]
    public async Task Three_workers_run_three_hundred_tasks_each_exactly_once()
    {
        const int total = 300;
        var tenantId = await fixture.ResetAsync();
        var executions = new ExecutionLog();
        var settings = new Dictionary<string, string?> { ["Tasks:Concurrency"] = "8", ["Tasks:BatchSize"] = "4" };
        var hosts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => TaskEngineHost.StartAsync(fixture, executions, settings)));
        try
        {
            var clock = Stopwatch.StartNew();
            var ids = await fixture.EnqueueManyAsync(tenantId, Enumerable.Range(0, total).Select(i => new TaskSpec(RecordingProcessor.TaskType, Priority: i % 3)));
            await Wait.UntilAsync(async () => executions.Count >= total && await fixture.CountAsync(TaskItemStatus.Succeeded) == total, TimeSpan.FromSeconds(90),
                $"all {total} tasks to succeed ({executions.Count} executions so far)", () => hosts[0].Log.Tail(30));
            clock.Stop();

            Assert.Equal(total, executions.Count);
            Assert.Equal(ids.Order(), executions.All.Select(e => e.TaskId).Order());
            var attempts = await fixture.AttemptsAsync(tenantId);
            Assert.Equal(total, attempts.Count);
            Assert.All(attempts, a => Assert.Equal((1, TaskAttemptStatus.Succeeded), (a.AttemptNo, a.Status)));
            // Each attempt row names the worker that really ran it.
            Assert.Equal(executions.All.Select(e => (e.TaskId, e.Worker)).Order(), attempts.Select(a => (a.TaskId, a.Worker!)).Order());
            var perWorker = executions.All.GroupBy(e => e.Worker).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(3, perWorker.Count);
            output.WriteLine($"{total} tasks in {clock.Elapsed.TotalSeconds:0.00} s ({total / clock.Elapsed.TotalSeconds:0} tasks/s, enqueue included); per worker: {string.Join(", ", perWorker.Values)}");
        }
        finally
        {
            await Task.WhenAll(hosts.Select(h => h.DisposeAsync().AsTask()));
        }
    }
}
