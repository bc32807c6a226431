using Npgsql;
using SaasAssistants.Database.Notifications;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>
/// Stops a running task within milliseconds of its cancel being committed: migration 0003's trigger notifies channel
/// <see cref="Channel"/> with the task id, and the worker running that task fires its token. One dedicated connection
/// per worker, re-opened when it drops; meanwhile the heartbeat still delivers cancels, only later.
/// </summary>
public sealed class TaskCancelListener(NpgsqlDataSource dataSource, RunningTasks running, ILogger<TaskCancelListener> logger)
{
    public const string Channel = "task_cancel";

    public Task RunAsync(CancellationToken cancellationToken) =>
        new PostgresListener(dataSource, Channel, logger)
            .RunAsync(OnCancel, onListening: null, whileDown: "cancels arrive with the heartbeat", cancellationToken);

    private void OnCancel(string payload)
    {
        if (Guid.TryParse(payload, out var taskId) && running.Find(taskId) is { } task)
        {
            logger.LogInformation("Cancel requested for running task {TaskId}", taskId);
            task.Stop(TaskStopReason.CancelRequested);
        }
    }
}
