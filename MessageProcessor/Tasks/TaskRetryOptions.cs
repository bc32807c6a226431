namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>One task type's backoff (<c>Tasks:RetryPolicies:{type}</c>), e.g. webhook deliveries spread over days.</summary>
public sealed class TaskRetryOptions
{
    public TimeSpan BaseDelay { get; set; }

    public TimeSpan MaxDelay { get; set; }
}
