namespace SaasAssistants.IntegrationTests.Database;

/// <summary>Waits for a condition instead of sleeping for a guessed time; fails with the reason after the timeout.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string waitingFor)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {waitingFor}.");
            }

            await Task.Delay(25);
        }
    }
}
