namespace SaasAssistants.IntegrationTests.ConversationEngine;

/// <summary>Polls until a condition holds (no fixed sleeps), or fails with what it was waiting for.</summary>
public static class Wait
{
    public static async Task<T> ForAsync<T>(Func<Task<T>> read, Func<T, bool> until, TimeSpan timeout, string? what = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (until(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {what ?? "a condition"}; last value: {value}");
            }

            await Task.Delay(20);
        }
    }
}
