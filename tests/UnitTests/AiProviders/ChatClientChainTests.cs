using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using SaasAssistants.MessageProcessor.Ai.Providers;
using SaasAssistants.UnitTests.Support;
using Xunit;

namespace SaasAssistants.UnitTests.AiProviders;

public class ChatClientChainTests
{
    private static readonly CircuitBreakerSettings Breaker = new() { FailuresToOpen = 3, SamplingSeconds = 60, BreakSeconds = 30 };

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
    private readonly ScriptedChatClient _primary = new("openai", "gpt-4o-mini-2024-07-18");
    private readonly ScriptedChatClient _secondary = new("claude", "claude-haiku-4-5-20251001");
    private readonly ChainLink _primaryLink;
    private readonly ChainLink _secondaryLink;

    public ChatClientChainTests()
    {
        _primaryLink = Link("openai", _primary);
        _secondaryLink = Link("claude", _secondary);
    }

    private ChainLink Link(string name, IChatClient client)
        => new(name, client, ProviderCircuitBreaker.Create(name, Breaker, _clock, NullLogger.Instance));

    private ChatClientChain Chain(params ChainLink[] links) => new(links, NullLogger<ChatClientChain>.Instance);

    private ChatClientChain Both() => Chain(_primaryLink, _secondaryLink);

    [Fact]
    public async Task The_answer_names_the_provider_and_the_model_that_gave_it()
    {
        var response = await Both().GetResponseAsync("Hi");

        Assert.Equal("from openai", response.Text);
        Assert.Equal("gpt-4o-mini-2024-07-18", response.ModelId);
        Assert.Equal("openai", response.AdditionalProperties?[ChatClientChain.ProviderProperty]);
        Assert.Equal(0, _secondary.Calls);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(408)]
    public async Task A_retryable_failure_falls_back(int status)
    {
        _primary.FailWithStatus(status);

        var response = await Both().GetResponseAsync("Hi");

        Assert.Equal("claude-haiku-4-5-20251001", response.ModelId);
        Assert.Equal("claude", response.AdditionalProperties?[ChatClientChain.ProviderProperty]);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    public async Task A_failure_a_retry_cannot_fix_ends_the_call_without_fallback(int status)
    {
        _primary.FailWithStatus(status);

        var failure = await Assert.ThrowsAsync<ProviderException>(() => Both().GetResponseAsync("Hi"));

        Assert.False(failure.IsRetryable);
        Assert.Equal(0, _secondary.Calls);
    }

    [Fact]
    public async Task A_hopeless_failure_after_a_transient_one_is_thrown_as_retryable()
    {
        _primary.FailWithStatus(503);
        _secondary.FailWithStatus(401);

        var failure = await Assert.ThrowsAsync<ProviderException>(() => Both().GetResponseAsync("Hi"));

        Assert.Equal(ProviderErrorCodes.Unauthorized, failure.ErrorCode);
        Assert.Equal("claude", failure.Provider);
        Assert.True(failure.IsRetryable);
    }

    [Fact]
    public async Task When_all_fail_the_last_failure_is_thrown()
    {
        _primary.FailWithStatus(500);
        _secondary.FailWithStatus(429);

        var failure = await Assert.ThrowsAsync<ProviderException>(() => Both().GetResponseAsync("Hi"));

        Assert.Equal(ProviderErrorCodes.RateLimited, failure.ErrorCode);
        Assert.True(failure.IsRetryable);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_stops_the_chain()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Both().GetResponseAsync("Hi", cancellationToken: cancelled.Token));

        Assert.Equal(0, _secondary.Calls);
    }

    [Fact]
    public async Task An_exception_that_is_not_a_provider_failure_is_a_bug_and_is_not_hidden_by_a_fallback()
    {
        _primary.Failure = () => new InvalidOperationException("bug");

        await Assert.ThrowsAsync<InvalidOperationException>(() => Both().GetResponseAsync("Hi"));

        Assert.Equal(0, _secondary.Calls);
    }

    [Fact]
    public async Task The_circuit_opens_after_consecutive_failures_and_lets_one_probe_through_after_the_break()
    {
        _primary.FailWithStatus(500);
        for (var i = 0; i < Breaker.FailuresToOpen; i++)
        {
            await Both().GetResponseAsync("Hi");
        }

        Assert.Equal(3, _primary.Calls);

        await Both().GetResponseAsync("Hi");
        _clock.Advance(TimeSpan.FromSeconds(29));
        await Both().GetResponseAsync("Hi");
        Assert.Equal(3, _primary.Calls); // Open: skipped without a call.

        _clock.Advance(TimeSpan.FromSeconds(2));
        _primary.Answer();
        var probe = await Both().GetResponseAsync("Hi");
        var next = await Both().GetResponseAsync("Hi");

        Assert.Equal("openai", probe.AdditionalProperties?[ChatClientChain.ProviderProperty]);
        Assert.Equal("openai", next.AdditionalProperties?[ChatClientChain.ProviderProperty]);
        Assert.Equal(5, _primary.Calls);
    }

    [Fact]
    public async Task A_failed_probe_opens_the_circuit_again()
    {
        _primary.FailWithStatus(500);
        for (var i = 0; i < Breaker.FailuresToOpen; i++)
        {
            await Both().GetResponseAsync("Hi");
        }

        _clock.Advance(TimeSpan.FromSeconds(31));
        await Both().GetResponseAsync("Hi");
        await Both().GetResponseAsync("Hi");

        Assert.Equal(4, _primary.Calls);
    }

    [Fact]
    public async Task Failures_a_retry_cannot_fix_do_not_open_the_circuit()
    {
        _primary.FailWithStatus(400);
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<ProviderException>(() => Both().GetResponseAsync("Hi"));
        }

        _primary.Answer();
        var response = await Both().GetResponseAsync("Hi");

        Assert.Equal("openai", response.AdditionalProperties?[ChatClientChain.ProviderProperty]);
    }

    [Fact]
    public async Task A_success_between_failures_keeps_the_circuit_closed()
    {
        _primary.FailWithStatus(500);
        await Both().GetResponseAsync("Hi");
        await Both().GetResponseAsync("Hi");
        _primary.Answer();
        await Both().GetResponseAsync("Hi");
        _primary.FailWithStatus(500);
        await Both().GetResponseAsync("Hi");

        _primary.Answer();
        var response = await Both().GetResponseAsync("Hi");

        Assert.Equal("openai", response.AdditionalProperties?[ChatClientChain.ProviderProperty]);
    }

    [Fact]
    public async Task An_open_circuit_alone_fails_fast_as_retryable_with_the_time_left()
    {
        _primary.FailWithStatus(500);
        var alone = Chain(_primaryLink);
        for (var i = 0; i < Breaker.FailuresToOpen; i++)
        {
            await Assert.ThrowsAsync<ProviderException>(() => alone.GetResponseAsync("Hi"));
        }

        _clock.Advance(TimeSpan.FromSeconds(10));

        var failure = await Assert.ThrowsAsync<ProviderException>(() => alone.GetResponseAsync("Hi"));

        Assert.Equal(ProviderErrorCodes.CircuitOpen, failure.ErrorCode);
        Assert.True(failure.IsRetryable);
        Assert.Equal(TimeSpan.FromSeconds(20), failure.RetryAfter);
    }
}
