using System.Diagnostics.Metrics;
using SaasAssistants.Contracts.Events.Tasks;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>
/// Meter "SaasAssistants.Tasks": task outcomes by type (read off the task events, so the worker and the rescuer count
/// alike), attempt durations, expired leases, and the queue depth. The depth gauge's query runs only while something
/// observes the gauge, at most once per <see cref="DepthRefreshInterval"/>, in the background: an exporter's
/// callback must not wait on the database.
/// </summary>
public sealed class TaskMetrics
{
    public const string MeterName = "SaasAssistants.Tasks";
    public static readonly TimeSpan DepthRefreshInterval = TimeSpan.FromSeconds(5);

    private readonly TaskQueue _queue;
    private readonly TimeProvider _time;
    private readonly ILogger<TaskMetrics> _logger;
    private readonly Counter<long> _succeeded;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _cancelled;
    private readonly Counter<long> _leasesExpired;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _claimToStart;
    private volatile IReadOnlyList<(string Type, long Depth)> _depth = [];
    private long _depthRefreshedAt = long.MinValue;
    private int _refreshing;

    public TaskMetrics(IMeterFactory meterFactory, TaskQueue queue, TimeProvider time, ILogger<TaskMetrics> logger)
    {
        _queue = queue;
        _time = time;
        _logger = logger;
        var meter = meterFactory.Create(MeterName);
        _succeeded = meter.CreateCounter<long>("saas.tasks.succeeded", "{task}", "Tasks that ended Succeeded.");
        _failed = meter.CreateCounter<long>("saas.tasks.failed", "{attempt}", "Failed attempts (retried or not), by error code.");
        _deadLettered = meter.CreateCounter<long>("saas.tasks.dead_lettered", "{task}", "Tasks that ended DeadLetter.");
        _cancelled = meter.CreateCounter<long>("saas.tasks.cancelled", "{task}", "Tasks that ended Cancelled.");
        _leasesExpired = meter.CreateCounter<long>("saas.tasks.leases_expired", "{task}", "Running tasks rescued after their worker stopped renewing the lease.");
        _duration = meter.CreateHistogram<double>("saas.tasks.duration", "s", "How long one attempt ran, by type and attempt status.");
        _claimToStart = meter.CreateHistogram<double>("saas.tasks.claim_to_start", "s",
            "How long a claimed task waited inside its worker before its processor started: high means the instance is saturated.");
        meter.CreateObservableGauge("saas.tasks.queue_depth", ObserveDepth, "{task}", "Due tasks waiting for a worker, by type.");
    }

    public void Record(IEnumerable<TaskEvent> events)
    {
        foreach (var @event in events)
        {
            var type = new KeyValuePair<string, object?>("task.type", @event.Type);
            switch (@event)
            {
                case TaskSucceeded:
                    _succeeded.Add(1, type);
                    break;
                case TaskFailed failed:
                    _failed.Add(1, type, new KeyValuePair<string, object?>("error.code", failed.ErrorCode));
                    break;
                case TaskDeadLettered:
                    _deadLettered.Add(1, type);
                    break;
                case TaskCancelled:
                    _cancelled.Add(1, type);
                    break;
            }
        }
    }

    public void AttemptEnded(string type, string status, TimeSpan duration) =>
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("task.type", type), new KeyValuePair<string, object?>("task.attempt.status", status));

    public void Started(string type, TimeSpan sinceClaim) =>
        _claimToStart.Record(sinceClaim.TotalSeconds, new KeyValuePair<string, object?>("task.type", type));

    public void LeaseExpired(string type) => _leasesExpired.Add(1, new KeyValuePair<string, object?>("task.type", type));

    private IEnumerable<Measurement<long>> ObserveDepth()
    {
        var refreshedAt = Interlocked.Read(ref _depthRefreshedAt);
        if ((refreshedAt == long.MinValue || _time.GetElapsedTime(refreshedAt) >= DepthRefreshInterval)
            && Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0)
        {
            _ = RefreshDepthAsync();
        }
        return _depth.Select(entry => new Measurement<long>(entry.Depth, new KeyValuePair<string, object?>("task.type", entry.Type)));
    }

    private async Task RefreshDepthAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(DepthRefreshInterval);
            _depth = await _queue.DepthByTypeAsync(timeout.Token);
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "Could not read the task queue depth");
        }
        finally
        {
            Interlocked.Exchange(ref _depthRefreshedAt, _time.GetTimestamp());
            Volatile.Write(ref _refreshing, 0);
        }
    }
}
