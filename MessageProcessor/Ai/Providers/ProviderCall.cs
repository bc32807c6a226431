namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>
/// Runs one SDK call under the provider's per-call timeout and turns whatever it throws into a
/// <see cref="ProviderException"/>. The caller's own cancellation (a task cancelled) passes through untouched.
/// </summary>
internal static class ProviderCall
{
    /// <summary>
    /// The SDKs get their own timeout this much later than ours, so ours always fires first and every timeout
    /// looks the same to the task engine whichever SDK was running.
    /// </summary>
    public static readonly TimeSpan SdkTimeoutMargin = TimeSpan.FromSeconds(5);

    public static async Task<T> RunAsync<T>(
        string provider, TimeSpan timeout, Func<CancellationToken, Task<T>> call,
        Func<Exception, ProviderException?> classifySdkFailure, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await call(deadline.Token);
        }
        catch (Exception e) when (e is not ProviderException && !cancellationToken.IsCancellationRequested && Classify(e) is { } failure)
        {
            throw failure;
        }

        ProviderException? Classify(Exception e) => deadline.IsCancellationRequested
            ? ProviderException.Timeout(provider, timeout, e)
            : classifySdkFailure(e) ?? e switch
            {
                HttpRequestException or IOException => ProviderException.Unavailable(provider, e),
                System.Text.Json.JsonException or FormatException => ProviderException.InvalidResponse(provider, e),
                _ => null,
            };
    }
}
