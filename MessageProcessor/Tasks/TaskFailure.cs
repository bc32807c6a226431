namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>
/// A failed attempt, classified: <see cref="Code"/> goes into the attempt's row, <see cref="IsRetryable"/> decides
/// between a retry with backoff and dead-lettering now, and <see cref="RetryAfter"/> (a provider's own hint, e.g. on a
/// 429) is the least the retry waits.
/// </summary>
public sealed record TaskFailure(string Code, bool IsRetryable, string? Detail = null, TimeSpan? RetryAfter = null)
{
    /// <summary>An exception the processor did not expect: retried, since most such surprises are transient.</summary>
    public static TaskFailure Unexpected(Exception exception) =>
        new(TaskEngineErrorCodes.ProcessorError, IsRetryable: true, $"{exception.GetType().Name}: {exception.Message}");
}
