namespace SaasAssistants.Database.Tasks;

/// <summary>How a task is meant to run (from the seeds); stored as the member's name.</summary>
public enum ExecutionType
{
    Sync,
    Async,
    Saga,
    HumanInLoop,
    Batch,
    EventDriven,
}
