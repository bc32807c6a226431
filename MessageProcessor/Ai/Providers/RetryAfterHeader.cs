using System.Globalization;

namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>Reads a provider's hint on when to come back, so the task engine can wait at least that long.</summary>
public static class RetryAfterHeader
{
    /// <summary><c>retry-after-ms</c> (OpenAI's finer variant) wins over <c>retry-after</c> (seconds or an HTTP date).</summary>
    public static TimeSpan? Parse(string? retryAfterMs, string? retryAfter, DateTimeOffset now)
    {
        if (double.TryParse(retryAfterMs, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        if (double.TryParse(retryAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParse(retryAfter, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at > now ? at - now : TimeSpan.Zero;
        }

        return null;
    }
}
