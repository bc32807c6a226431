namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>Error codes the engine itself writes on an attempt (processors add their own; see also TaskErrorCodes).</summary>
public static class TaskEngineErrorCodes
{
    /// <summary>No processor is registered for the task's type: no worker of this version can ever run it.</summary>
    public const string UnknownTaskType = "unknown_task_type";

    /// <summary>The processor rejected the payload before running: retrying the same payload cannot help.</summary>
    public const string InvalidPayload = "invalid_payload";

    /// <summary>The processor threw something it did not classify more precisely.</summary>
    public const string ProcessorError = "processor_error";
}
