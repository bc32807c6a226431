using SaasAssistants.Database.Tasks;
using SaasAssistants.Database.Webhooks;
using SaasAssistants.MessageProcessor.Tasks;
using SaasAssistants.MessageProcessor.Webhooks;
using SaasAssistants.UnitTests.Support;
using Xunit;

namespace SaasAssistants.UnitTests.MessageProcessor;

/// <summary>
/// A delivery whose receiver always fails, on the production settings (3-day window, 50 attempts, 30 s doubling to 8 h
/// with full jitter): the engine's own retry schedule decides each next attempt, <see cref="WebhookRetryWindow"/>
/// whether there is one. The retries must reach the window's last backoff step and never go past the window.
/// </summary>
public class WebhookRetryWindowTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Every random draw the same: 0.999 is the longest waits the jitter can give, 0.001 the shortest.</summary>
    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 200)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Retries_reach_the_last_backoff_step_of_the_three_days_and_never_pass_them(int seed)
    {
        var (attempts, last, retryUntil) = Simulate(new Random(seed), retryAfter: null);

        Assert.True(last <= retryUntil, $"seed {seed}: an attempt at {last:O}, after the window's end {retryUntil:O}");
        Assert.True(last >= retryUntil - WebhookRetryWindow.DefaultPolicy.MaxDelay,
            $"seed {seed}: the last of {attempts} attempts was at {last:O}, more than one backoff step before {retryUntil:O}");
        Assert.True(attempts < new WebhookDeliveryOptions().MaxAttempts, $"seed {seed}: the attempts ran out before the window did");
    }

    [Theory]
    [InlineData(0.999)]
    [InlineData(0.5)]
    [InlineData(0.001)]
    public void With_the_longest_average_and_shortest_waits_the_window_still_ends_it_in_its_last_step(double draw)
    {
        var (attempts, last, retryUntil) = Simulate(new FixedRandom(draw), retryAfter: null);

        Assert.True(last <= retryUntil);
        // The shortest waits spend the 50 attempts within hours: the attempts end it early, and that is the one case.
        if (draw > 0.01)
        {
            Assert.True(last >= retryUntil - WebhookRetryWindow.DefaultPolicy.MaxDelay, $"{attempts} attempts, the last at {last:O}");
        }
        else
        {
            Assert.Equal(new WebhookDeliveryOptions().MaxAttempts, attempts);
        }
    }

    [Fact]
    public void A_Retry_After_that_would_land_past_the_window_ends_the_retries_and_one_inside_is_honoured()
    {
        var policy = WebhookRetryWindow.DefaultPolicy;
        var retryUntil = Start + TimeSpan.FromDays(3);

        Assert.True(WebhookRetryWindow.AllowsRetry(Start, 1, retryUntil, TimeSpan.FromDays(2), policy));
        Assert.False(WebhookRetryWindow.AllowsRetry(Start + TimeSpan.FromDays(2), 1, retryUntil, TimeSpan.FromDays(1.5), policy));
        // Without Retry-After the ceiling decides: 8 h before the end is the last moment an attempt may be retried.
        Assert.True(WebhookRetryWindow.AllowsRetry(retryUntil - TimeSpan.FromHours(8), 20, retryUntil, null, policy));
        Assert.False(WebhookRetryWindow.AllowsRetry(retryUntil - TimeSpan.FromHours(8) + TimeSpan.FromSeconds(1), 20, retryUntil, null, policy));
    }

    /// <returns>How many attempts were made, when the last one ran, and the window's end.</returns>
    private static (int Attempts, DateTimeOffset Last, DateTimeOffset RetryUntil) Simulate(Random random, TimeSpan? retryAfter)
    {
        var settings = new WebhookDeliveryOptions();
        var policy = WebhookRetryWindow.DefaultPolicy;
        var clock = new ManualTimeProvider(Start);
        var schedule = new TaskRetrySchedule(new RetryPolicy(clock), clock, new Dictionary<string, RetryPolicy>
        {
            [WebhookDeliveryTasks.TaskType] = new(clock, random, policy.BaseDelay, policy.MaxDelay),
        });
        var retryUntil = Start + settings.RetryWindow;
        var attempt = 1;
        while (attempt < settings.MaxAttempts && WebhookRetryWindow.AllowsRetry(clock.GetUtcNow(), attempt, retryUntil, retryAfter, policy))
        {
            var next = schedule.NextAttemptAt(WebhookDeliveryTasks.TaskType, attempt, retryAfter);
            clock.Advance(next - clock.GetUtcNow());
            attempt++;
        }
        return (attempt, clock.GetUtcNow(), retryUntil);
    }
}
