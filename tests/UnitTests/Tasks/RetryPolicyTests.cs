using SaasAssistants.Database.Tasks;
using SaasAssistants.UnitTests.Support;
using Xunit;

namespace SaasAssistants.UnitTests.Tasks;

public class RetryPolicyTests
{
    private static readonly ManualTimeProvider Clock = new(TaskSamples.T0);

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(8, 256)]
    [InlineData(9, 300)] // 512 s, capped at 5 minutes
    [InlineData(40, 300)]
    [InlineData(int.MaxValue, 300)]
    public void The_ceiling_doubles_from_two_seconds_up_to_five_minutes(int failedAttempt, int seconds)
    {
        var policy = new RetryPolicy(Clock, new Random(1));

        Assert.Equal(TimeSpan.FromSeconds(seconds), policy.Ceiling(failedAttempt));
    }

    [Fact]
    public void A_delay_is_never_negative_nor_above_its_ceiling_nor_above_the_cap()
    {
        var policy = new RetryPolicy(Clock, new Random(7));

        for (var attempt = 1; attempt <= 30; attempt++)
        {
            for (var i = 0; i < 2_000; i++)
            {
                var delay = policy.Delay(attempt);
                Assert.InRange(delay, TimeSpan.Zero, policy.Ceiling(attempt));
                Assert.True(delay <= RetryPolicy.DefaultMaxDelay);
            }
        }
    }

    [Fact]
    public void Delays_grow_exponentially_on_average()
    {
        var policy = new RetryPolicy(Clock, new Random(42));
        const int samples = 20_000;

        // Full jitter: the mean is half the ceiling, so below the cap it doubles with every attempt.
        var means = Enumerable.Range(1, 7)
            .Select(attempt => Enumerable.Range(0, samples).Average(_ => policy.Delay(attempt).TotalSeconds))
            .ToArray();

        for (var i = 0; i < means.Length; i++)
        {
            Assert.InRange(means[i], 0.97 * Math.Pow(2, i), 1.03 * Math.Pow(2, i)); // ceiling 2^(i+1) s, mean 2^i s
        }

        for (var i = 1; i < means.Length; i++)
        {
            Assert.InRange(means[i] / means[i - 1], 1.9, 2.1);
        }
    }

    [Fact]
    public void Jitter_spreads_the_delays_instead_of_repeating_one()
    {
        var policy = new RetryPolicy(Clock, new Random(3));

        var delays = Enumerable.Range(0, 100).Select(_ => policy.Delay(5)).Distinct().Count();

        Assert.True(delays > 90);
    }

    [Fact]
    public void The_same_seed_gives_the_same_delays()
    {
        var first = new RetryPolicy(Clock, new Random(2026));
        var second = new RetryPolicy(Clock, new Random(2026));

        var a = Enumerable.Range(1, 50).Select(first.Delay).ToArray();
        var b = Enumerable.Range(1, 50).Select(second.Delay).ToArray();

        Assert.Equal(a, b);
    }

    [Fact]
    public void The_next_attempt_is_the_injected_clock_plus_the_delay()
    {
        var clock = new ManualTimeProvider(TaskSamples.T0);
        clock.Advance(TimeSpan.FromMinutes(3));
        var policy = new RetryPolicy(clock, new Random(5));
        var expectedDelay = new RetryPolicy(clock, new Random(5)).Delay(2);

        Assert.Equal(TaskSamples.T0.AddMinutes(3) + expectedDelay, policy.NextAttemptAt(2));
    }

    [Fact]
    public void Base_and_cap_can_be_configured()
    {
        var policy = new RetryPolicy(Clock, new Random(1), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromMilliseconds(400), policy.Ceiling(3));
        Assert.Equal(TimeSpan.FromSeconds(1), policy.Ceiling(5));
    }

    [Fact]
    public void Nonsense_settings_and_attempt_numbers_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(Clock, null, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(Clock, null, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(Clock).Delay(0));
    }
}
