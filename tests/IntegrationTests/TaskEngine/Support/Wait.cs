namespace SaasAssistants.IntegrationTests.TaskEngine.Support;

/// <summary>Waits for a condition instead of sleeping a guessed time; on timeout, says what it waited for and what the hosts logged.</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string waitingFor, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {waitingFor}.\n{diagnostics?.Invoke()}");
            }

            await Task.Delay(20);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string waitingFor, Func<string>? diagnostics = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, waitingFor, diagnostics);
}
