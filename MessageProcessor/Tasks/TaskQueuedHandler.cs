using SaasAssistants.Contracts.Events.Tasks;
using SaasAssistants.EventBus;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>
/// The TaskQueued wake-up: the message itself carries nothing to do, the task is claimed from PostgreSQL. A task not
/// yet due is left to the poll loop, which finds it when it is.
/// </summary>
public sealed class TaskQueuedHandler(TaskWakeUp wakeUp, TimeProvider time) : IIntegrationEventHandler<TaskQueued>
{
    public Task HandleAsync(TaskQueued @event, CancellationToken cancellationToken)
    {
        if (@event.ScheduledAt <= time.GetUtcNow())
        {
            wakeUp.Wake();
        }

        return Task.CompletedTask;
    }
}
