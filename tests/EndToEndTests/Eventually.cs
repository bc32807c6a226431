namespace SaasAssistants.EndToEndTests;

/// <summary>Waits for a condition instead of sleeping for a guessed time; fails with what it waited for.</summary>
public static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string waitingFor)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {waitingFor}.");
            }

            await Task.Delay(50);
        }
    }
}
