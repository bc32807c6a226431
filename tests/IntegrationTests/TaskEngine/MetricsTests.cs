using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.Database.Tasks;
using SaasAssistants.IntegrationTests.TaskEngine.Support;
using SaasAssistants.MessageProcessor.Tasks;
using Xunit;

namespace SaasAssistants.IntegrationTests.TaskEngine;

/// <summary>The "SaasAssistants.Tasks" meter as an exporter sees it, through a MeterListener.</summary>
[Collection(TaskEngineCollection.Name)]
public sealed class MetricsTests(TaskEngineFixture fixture) : IClassFixture<TaskEngineFixture>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();
    private readonly MeterListener _listener = new();

    private void Listen()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TaskMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _measurements.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));

    private bool Has(string instrument, string type, Func<double, bool>? value = null) =>
        _measurements.Any(m => m.Instrument == instrument && Equals(m.Tags["task.type"], type) && (value is null || value(m.Value)));

    [Fact]
    public async Task Outcomes_durations_and_queue_depth_are_measured_by_task_type()
    {
        var tenant = await fixture.ResetAsync();
        Listen();
        await using var host = await TaskEngineHost.StartAsync(fixture, new ExecutionLog());

        var succeeded = await fixture.EnqueueAsync(tenant, RecordingProcessor.TaskType);
        var failed = await fixture.EnqueueAsync(tenant, FailingProcessor.TaskType, """{"code":"bad_input","retryable":false}""");
        await Wait.UntilAsync(async () => (await fixture.TaskAsync(tenant, succeeded)).IsEnded && (await fixture.TaskAsync(tenant, failed)).IsEnded,
            Timeout, "both tasks to end", () => host.Log.Tail(20));

        Assert.True(Has("saas.tasks.succeeded", RecordingProcessor.TaskType));
        Assert.True(Has("saas.tasks.dead_lettered", FailingProcessor.TaskType));
        Assert.Contains(_measurements, m => m.Instrument == "saas.tasks.failed" && Equals(m.Tags["error.code"], "bad_input"));
        Assert.Contains(_measurements, m => m.Instrument == "saas.tasks.duration" && Equals(m.Tags["task.attempt.status"], "Succeeded"));
    }

    [Fact]
    public async Task A_rescued_lease_is_counted_by_type()
    {
        var tenant = await fixture.ResetAsync();
        Listen();
        var id = await fixture.EnqueueAsync(tenant, RecordingProcessor.TaskType);
        // Claimed a while ago by a worker that died; the claim wrote its attempt row, as task_claim does.
        await fixture.OwnerExecuteAsync($"""
            UPDATE tasks SET status = 'Running', locked_by = 'dead-worker', attempt_count = 1,
                locked_until = now() - interval '1 minute', started_at = now() - interval '2 minutes' WHERE id = '{id}';
            INSERT INTO task_attempts (id, tenant_id, task_id, attempt_no, started_at, status, worker)
                VALUES (gen_random_uuid(), '{tenant}', '{id}', 1, now() - interval '2 minutes', 'Running', 'dead-worker');
            """);
        await using var host = TaskEngineHost.Build(fixture, new ExecutionLog());

        Assert.Equal(1, await host.Services.GetRequiredService<LeaseRescuer>().RescueExpiredAsync(CancellationToken.None));

        Assert.True(Has("saas.tasks.leases_expired", RecordingProcessor.TaskType, value => value == 1));
    }

    [Fact]
    public async Task The_queue_depth_counts_due_tasks_waiting_for_a_worker()
    {
        var tenant = await fixture.ResetAsync();
        Listen();
        // Built, not started: nothing claims, so the queue stays as arranged.
        await using var host = TaskEngineHost.Build(fixture, new ExecutionLog());
        host.Services.GetRequiredService<TaskMetrics>();
        await fixture.EnqueueManyAsync(tenant, [
            new TaskSpec(RecordingProcessor.TaskType), new TaskSpec(RecordingProcessor.TaskType), new TaskSpec(FailingProcessor.TaskType),
            new TaskSpec(RecordingProcessor.TaskType, ScheduledAt: DateTimeOffset.UtcNow.AddHours(1)),
        ]);

        // The first observation starts the query in the background; a later one reports its result.
        await Wait.UntilAsync(() =>
        {
            _listener.RecordObservableInstruments();
            return Has("saas.tasks.queue_depth", RecordingProcessor.TaskType);
        }, Timeout, "a queue depth measurement");

        Assert.True(Has("saas.tasks.queue_depth", RecordingProcessor.TaskType, depth => depth == 2));
        Assert.True(Has("saas.tasks.queue_depth", FailingProcessor.TaskType, depth => depth == 1));
        Assert.Equal(TaskItemStatus.Queued, (await fixture.TasksAsync(tenant)).Select(t => t.Status).Distinct().Single());
    }

    public void Dispose() => _listener.Dispose();
}
