using SaasAssistants.Database;
using Xunit;

namespace SaasAssistants.UnitTests.Database;

/// <summary>The one backoff formula every retry loop uses (task retries through RetryPolicy, reconnect loops directly).</summary>
public class BackoffTests
{
    [Fact]
    public void Ceiling_doubles_from_the_base_and_stops_at_the_cap()
    {
        var ceilings = Enumerable.Range(1, 8).Select(attempt => Backoff.Ceiling(attempt, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10)));

        Assert.Equal([250, 500, 1000, 2000, 4000, 8000, 10000, 10000], ceilings.Select(c => c.TotalMilliseconds));
        Assert.Equal(TimeSpan.FromSeconds(10), Backoff.Ceiling(int.MaxValue, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Reconnect_delays_are_jittered_within_the_ceiling()
    {
        for (var failures = 1; failures <= 12; failures++)
        {
            var ceiling = Backoff.Ceiling(failures, Backoff.ReconnectBase, Backoff.ReconnectMax);
            var delays = Enumerable.Range(0, 200).Select(_ => Backoff.Reconnect(failures)).ToList();

            Assert.All(delays, delay => Assert.InRange(delay, TimeSpan.Zero, ceiling));
            Assert.True(delays.Distinct().Count() > 100, "full jitter spreads the delays");
        }
    }

    [Fact]
    public void Attempts_count_from_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.Ceiling(0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
    }
}
