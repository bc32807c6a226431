using Npgsql;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>
/// Stops a running task within milliseconds of its cancel being committed: migration 0003's trigger notifies channel
/// <see cref="Channel"/> with the task id, and the worker running that task fires its token. One dedicated connection
/// per worker, re-opened when it drops; meanwhile the heartbeat still delivers cancels, only later.
/// </summary>
public sealed class TaskCancelListener(NpgsqlDataSource dataSource, RunningTasks running, ILogger<TaskCancelListener> logger)
{
    public const string Channel = "task_cancel";

    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    public async Task RunAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                connection.Notification += (_, notification) => OnCancel(notification.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(ct);
                failures = 0;
                while (true)
                {
                    // A quiet connection is pinged now and then, so a silently dropped one is noticed and replaced.
                    if (!await connection.WaitAsync(KeepAlive, ct))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteNonQueryAsync(ct);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                if (failures == 1)
                    logger.LogWarning(ex, "Task cancel listener lost its connection; cancels arrive with the heartbeat until it is back");
                var delay = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures, 10) - 1)));
                await Task.Delay(delay, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void OnCancel(string payload)
    {
        if (Guid.TryParse(payload, out var taskId) && running.Find(taskId) is { } task)
        {
            logger.LogInformation("Cancel requested for running task {TaskId}", taskId);
            task.Stop(TaskStopReason.CancelRequested);
        }
    }
}
