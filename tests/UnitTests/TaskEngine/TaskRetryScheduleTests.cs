using SaasAssistants.Database.Tasks;
using SaasAssistants.MessageProcessor.Tasks;
using SaasAssistants.UnitTests.Support;
using Xunit;

namespace SaasAssistants.UnitTests.TaskEngine;

public class TaskRetryScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_next_attempt_follows_the_injected_clock_and_the_policys_backoff()
    {
        var clock = new ManualTimeProvider(T0);
        var policy = new RetryPolicy(clock, new Random(11), baseDelay: TimeSpan.FromSeconds(1), maxDelay: TimeSpan.FromSeconds(60));
        var schedule = new TaskRetrySchedule(policy, clock);

        for (var failedAttempt = 1; failedAttempt <= 8; failedAttempt++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            var next = schedule.NextAttemptAt("ai.generate", failedAttempt);
            Assert.InRange(next - clock.GetUtcNow(), TimeSpan.Zero, policy.Ceiling(failedAttempt));
        }
    }

    [Fact]
    public void Retry_after_wins_only_when_it_is_later_than_the_backoff()
    {
        var clock = new ManualTimeProvider(T0);
        var schedule = new TaskRetrySchedule(new RetryPolicy(clock, new Random(5)), clock);

        Assert.Equal(T0.AddSeconds(30), schedule.NextAttemptAt("ai.generate", 1, TimeSpan.FromSeconds(30)));
        // Attempt 9's backoff lies anywhere in [0, 5 min]; a 1 ms hint never pulls it earlier.
        var backoffs = Enumerable.Range(0, 200).Select(_ => schedule.NextAttemptAt("ai.generate", 9, TimeSpan.FromMilliseconds(1))).ToList();
        Assert.All(backoffs, next => Assert.True(next >= T0.AddMilliseconds(1)));
        Assert.Contains(backoffs, next => next > T0.AddMinutes(1));
    }

    [Fact]
    public void A_type_with_its_own_policy_backs_off_by_it_and_the_others_by_the_default()
    {
        var clock = new ManualTimeProvider(T0);
        var hours = new RetryPolicy(clock, new Random(7), baseDelay: TimeSpan.FromHours(1), maxDelay: TimeSpan.FromHours(8));
        var schedule = new TaskRetrySchedule(new RetryPolicy(clock, new Random(7)), clock,
            new Dictionary<string, RetryPolicy> { ["webhook.deliver"] = hours });

        // Attempt 6: the webhook ceiling is 8 h, the default's 5 min; over 200 draws the webhook's go past the default's cap.
        var webhook = Enumerable.Range(0, 200).Select(_ => schedule.NextAttemptAt("webhook.deliver", 6) - T0).ToList();
        var other = Enumerable.Range(0, 200).Select(_ => schedule.NextAttemptAt("ai.generate", 6) - T0).ToList();
        Assert.All(webhook, delay => Assert.InRange(delay, TimeSpan.Zero, TimeSpan.FromHours(8)));
        Assert.Contains(webhook, delay => delay > TimeSpan.FromHours(1));
        Assert.All(other, delay => Assert.InRange(delay, TimeSpan.Zero, RetryPolicy.DefaultMaxDelay));
    }
}
