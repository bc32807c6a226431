using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using SaasAssistants.MessageProcessor.Ai;
using SaasAssistants.MessageProcessor.Ai.Providers;
using Xunit;

namespace SaasAssistants.IntegrationTests.AiProviders;

/// <summary>The chain over real SDK clients: primary on an OpenAI-compatible server, fallback on an Anthropic one.</summary>
public sealed class ProviderChainTests : IAsyncLifetime
{
    private ProviderWireServer _primary = null!;
    private ProviderWireServer _secondary = null!;
    private ProviderRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        _primary = await ProviderWireServer.StartAsync();
        _secondary = await ProviderWireServer.StartAsync();
        _primary.AnsweringModel = "gpt-4o-mini-2024-07-18";
        _primary.ReplyText = "From the primary.";
        _secondary.AnsweringModel = "claude-haiku-4-5-20251001";
        _secondary.ReplyText = "From the secondary.";
        _registry = new ProviderRegistry(
            new AiOptions
            {
                Providers =
                {
                    ["openai"] = WireClients.Options(ProviderKind.OpenAI, _primary, timeoutSeconds: 1),
                    ["claude"] = WireClients.Options(ProviderKind.Anthropic, _secondary),
                },
                Chain = ["openai", "claude"],
                // Polly's lower limits: two calls to open, half a second of break.
                CircuitBreaker = { FailuresToOpen = 2, SamplingSeconds = 30, BreakSeconds = 1 },
            },
            new LocalResponderChatClient(TimeProvider.System), TimeProvider.System, NullLoggerFactory.Instance);
    }

    public async Task DisposeAsync()
    {
        _registry.Dispose();
        await _primary.DisposeAsync();
        await _secondary.DisposeAsync();
    }

    [Fact]
    public async Task The_primary_answers_when_it_is_healthy()
    {
        var response = await _registry.CreateChain().GetResponseAsync("Hi");

        Assert.Equal("From the primary.", response.Text);
        Assert.Equal("gpt-4o-mini-2024-07-18", response.ModelId);
        Assert.Equal("openai", response.AdditionalProperties?[ChatClientChain.ProviderProperty]);
        Assert.Equal(0, _secondary.RequestCount);
    }

    [Theory]
    [InlineData(WireBehavior.ServerError)]
    [InlineData(WireBehavior.RateLimited)]
    [InlineData(WireBehavior.Slow)]
    public async Task A_transient_failure_of_the_primary_falls_back_to_the_secondary_which_is_reported(WireBehavior behavior)
    {
        _primary.Behavior = behavior;

        var response = await _registry.CreateChain().GetResponseAsync("Hi");

        Assert.Equal("From the secondary.", response.Text);
        Assert.Equal("claude-haiku-4-5-20251001", response.ModelId);
        Assert.Equal("claude", response.AdditionalProperties?[ChatClientChain.ProviderProperty]);
        Assert.Equal(17, response.Usage?.TotalTokenCount);
        Assert.Equal(1, _primary.RequestCount);
    }

    [Fact]
    public async Task A_model_asked_for_by_name_goes_to_the_primary_only()
    {
        _primary.Behavior = WireBehavior.ServerError;

        var response = await _registry.CreateChain().GetResponseAsync("Hi", new ChatOptions { ModelId = "gpt-4o", MaxOutputTokens = 40 });

        Assert.Equal("From the secondary.", response.Text);
        Assert.Equal("gpt-4o", _primary.Requests[0].Body.GetProperty("model").GetString());
        // Another vendor's fallback answers with its own configured model, and keeps the other options.
        var fallback = _secondary.Requests[0].Body;
        Assert.Equal((WireClients.AnthropicModel, 40), (fallback.GetProperty("model").GetString(), fallback.GetProperty("max_tokens").GetInt32()));
    }

    [Fact]
    public async Task A_failure_that_a_retry_cannot_fix_does_not_fall_back()
    {
        _primary.Behavior = WireBehavior.Unauthorized;

        var failure = await Assert.ThrowsAsync<ProviderException>(() => _registry.CreateChain().GetResponseAsync("Hi"));

        Assert.Equal(ProviderErrorCodes.Unauthorized, failure.ErrorCode);
        Assert.False(failure.IsRetryable);
        Assert.Equal(0, _secondary.RequestCount);
    }

    [Fact]
    public async Task When_every_provider_fails_the_last_failure_is_thrown_as_retryable()
    {
        _primary.Behavior = WireBehavior.ServerError;
        _secondary.Behavior = WireBehavior.RateLimited;

        var failure = await Assert.ThrowsAsync<ProviderException>(() => _registry.CreateChain().GetResponseAsync("Hi"));

        Assert.Equal(ProviderErrorCodes.RateLimited, failure.ErrorCode);
        Assert.Equal("claude", failure.Provider);
        Assert.True(failure.IsRetryable);
    }

    [Fact]
    public async Task A_provider_that_keeps_failing_is_skipped_until_its_break_is_over()
    {
        _primary.Behavior = WireBehavior.ServerError;
        var chain = _registry.CreateChain();

        await chain.GetResponseAsync("Hi");
        await chain.GetResponseAsync("Hi");
        Assert.Equal(2, _primary.RequestCount); // The second failure opens the circuit.

        // Open: other chains share the breaker, and none of them reaches the primary.
        for (var i = 0; i < 3; i++)
        {
            var skipped = await _registry.CreateChain().GetResponseAsync("Hi");
            Assert.Equal("claude", skipped.AdditionalProperties?[ChatClientChain.ProviderProperty]);
        }
        Assert.Equal(2, _primary.RequestCount);
        Assert.Equal(5, _secondary.RequestCount);

        // After the break one call probes the primary; it is healthy again, so the circuit closes.
        _primary.Behavior = WireBehavior.Answer;
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var probe = await chain.GetResponseAsync("Hi");
        var after = await chain.GetResponseAsync("Hi");

        Assert.Equal("openai", probe.AdditionalProperties?[ChatClientChain.ProviderProperty]);
        Assert.Equal("openai", after.AdditionalProperties?[ChatClientChain.ProviderProperty]);
        Assert.Equal(4, _primary.RequestCount);
        Assert.Equal(5, _secondary.RequestCount);
    }

    [Fact]
    public async Task With_every_circuit_open_the_chain_fails_fast_and_retryably()
    {
        _primary.Behavior = WireBehavior.ServerError;
        var chain = _registry.CreateChain(["openai"]);
        await Assert.ThrowsAsync<ProviderException>(() => chain.GetResponseAsync("Hi"));
        await Assert.ThrowsAsync<ProviderException>(() => chain.GetResponseAsync("Hi"));

        var failure = await Assert.ThrowsAsync<ProviderException>(() => chain.GetResponseAsync("Hi"));

        Assert.Equal(ProviderErrorCodes.CircuitOpen, failure.ErrorCode);
        Assert.True(failure.IsRetryable);
        Assert.NotNull(failure.RetryAfter);
        Assert.Equal(2, _primary.RequestCount);
    }

    [Fact]
    public async Task The_built_in_local_responder_is_always_there_as_the_last_resort()
    {
        _primary.Behavior = WireBehavior.ServerError;
        _secondary.Behavior = WireBehavior.ServerError;

        var response = await _registry.CreateChain(["openai", "claude", "local"]).GetResponseAsync("Oi, bom dia");

        Assert.Equal(LocalResponderChatClient.ModelId, response.ModelId);
        Assert.Equal("local", response.AdditionalProperties?[ChatClientChain.ProviderProperty]);
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
    }

    [Fact]
    public void A_provider_that_is_not_configured_fails_without_retry()
    {
        var fromChain = Assert.Throws<ProviderException>(() => _registry.CreateChain(["openai", "mistral"]));
        var alone = Assert.Throws<ProviderException>(() => _registry.GetClient("mistral"));

        foreach (var failure in new[] { fromChain, alone })
        {
            Assert.Equal(ProviderErrorCodes.ProviderNotConfigured, failure.ErrorCode);
            Assert.Equal("mistral", failure.Provider);
            Assert.False(failure.IsRetryable);
        }
    }
}
