using System.Text.Json;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.ServiceDefaults.Correlation;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>
/// Runs one claimed task in its own DI scope and tenant: the processor under the task's token, then hands the outcome to
/// the <see cref="TaskCompletionWriter"/> and returns once it is written. The attempt's row was written by the claim.
/// </summary>
public sealed class TaskExecutor(
    IServiceScopeFactory scopeFactory,
    TaskProcessors processors,
    TaskCompletionWriter completions,
    TaskMetrics metrics,
    TimeProvider time,
    ILogger<TaskExecutor> logger)
{
    public async Task RunAsync(RunningTask running)
    {
        var claim = running.Claim;
        metrics.Started(claim.Type, time.GetElapsedTime(running.ClaimedAt));
        // Events and calls this task makes carry the correlation id of the request that created it.
        CorrelationContext.Current = claim.CorrelationId;
        using var logScope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["TaskId"] = claim.Id, ["TenantId"] = claim.TenantId, ["TaskType"] = claim.Type, ["Attempt"] = claim.Attempt,
        });
        TaskOutcome outcome;
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(claim.TenantId);
            outcome = await ProcessAsync(running, scope.ServiceProvider);
        }

        if (outcome is TaskOutcome.Lost)
        {
            logger.LogWarning("Task {TaskId} attempt {Attempt} lost its lease while running; its result is dropped", claim.Id, claim.Attempt);
            return;
        }
        running.MarkFinishing();
        await completions.WriteAsync(claim, outcome);
    }

    private async Task<TaskOutcome> ProcessAsync(RunningTask running, IServiceProvider services)
    {
        var claim = running.Claim;
        var processor = processors.Find(claim.Type);
        if (processor is null)
        {
            return new TaskOutcome.Failed(new TaskFailure(TaskEngineErrorCodes.UnknownTaskType, false, $"No processor is registered for task type '{claim.Type}'."));
        }

        using var payload = JsonDocument.Parse(claim.Payload);
        try
        {
            var errors = processor.Validate(payload.RootElement);
            if (errors.Count > 0)
            {
                return new TaskOutcome.Failed(new TaskFailure(TaskEngineErrorCodes.InvalidPayload, false, string.Join("; ", errors)));
            }

            var execution = new TaskExecution
            {
                TaskId = claim.Id, TenantId = claim.TenantId, Type = claim.Type, Attempt = claim.Attempt, MaxAttempts = claim.MaxAttempts,
                CorrelationId = claim.CorrelationId, Payload = payload.RootElement, Services = services,
            };
            return new TaskOutcome.Succeeded(await processor.ProcessAsync(execution, running.Token));
        }
        catch (Exception) when (running.StopReason is { } reason)
        {
            // Whatever the processor threw on its way out, it was stopped on purpose; the reason decides what is written.
            return reason switch
            {
                TaskStopReason.CancelRequested => new TaskOutcome.Cancelled(),
                TaskStopReason.Shutdown => new TaskOutcome.Released(),
                _ => new TaskOutcome.Lost(),
            };
        }
        catch (Exception ex)
        {
            return new TaskOutcome.Failed(Classify(processor, ex));
        }
    }

    private TaskFailure Classify(ITaskProcessor processor, Exception exception)
    {
        try
        {
            return processor.ClassifyFailure(exception);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Processor {Processor} could not classify a {Exception}", processor.GetType().Name, exception.GetType().Name);
            return TaskFailure.Unexpected(exception);
        }
    }
}
