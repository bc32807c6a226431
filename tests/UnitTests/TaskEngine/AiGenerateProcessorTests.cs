using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SaasAssistants.MessageProcessor.Ai;
using SaasAssistants.MessageProcessor.Ai.Providers;
using SaasAssistants.MessageProcessor.Tasks;
using SaasAssistants.MessageProcessor.Tasks.Processors;
using Xunit;

namespace SaasAssistants.UnitTests.TaskEngine;

/// <summary>ai.generate on the built-in local responder (no network); the wire-level providers are in the integration tests.</summary>
public class AiGenerateProcessorTests
{
    private static readonly AiGenerateProcessor Processor = new(
        new ProviderRegistry(new AiOptions(), new LocalResponderChatClient(TimeProvider.System), TimeProvider.System, NullLoggerFactory.Instance),
        new PriceTable(new Dictionary<string, ModelPrice>()),
        TimeProvider.System);

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    private static TaskExecution Execution(string payload) => new()
    {
        TaskId = Guid.CreateVersion7(), TenantId = Guid.CreateVersion7(), Type = AiGenerateProcessor.TaskType, Attempt = 1, MaxAttempts = 3,
        Payload = Json(payload), Services = new ServiceCollection().BuildServiceProvider(),
    };

    [Theory]
    [InlineData("""{"prompt":"Hi"}""")]
    [InlineData("""{"prompt":"Hi","context":"We bake bread.","system":"Be brief.","provider":"local","model":"m","maxTokens":100}""")]
    [InlineData("""{"prompt":"Hi","context":{"menu":["bread"]},"system":null,"maxTokens":null}""")]
    [InlineData("""{"prompt":"Hi","assistantId":"0193a9b0-3c4d-7e8f-9a0b-1c2d3e4f5a6b"}""")]
    public void Valid_payloads_pass(string payload)
    {
        Assert.Empty(Processor.Validate(Json(payload)));
    }

    [Theory]
    [InlineData("[]", "$")]
    [InlineData("{}", "prompt")]
    [InlineData("""{"prompt":"  "}""", "prompt")]
    [InlineData("""{"prompt":42}""", "prompt")]
    [InlineData("""{"prompt":"Hi","provider":7}""", "provider")]
    [InlineData("""{"prompt":"Hi","model":""}""", "model")]
    [InlineData("""{"prompt":"Hi","maxTokens":0}""", "maxTokens")]
    [InlineData("""{"prompt":"Hi","maxTokens":"many"}""", "maxTokens")]
    [InlineData("""{"prompt":"Hi","maxTokens":1.5}""", "maxTokens")]
    [InlineData("""{"prompt":"Hi","assistantId":"bakery"}""", "assistantId")]
    [InlineData("""{"prompt":"Hi","assistantId":42}""", "assistantId")]
    public void Invalid_payloads_name_the_field(string payload, string field)
    {
        Assert.Equal(field, Assert.Single(Processor.Validate(Json(payload))).Field);
    }

    [Fact]
    public void System_text_and_context_travel_as_one_system_message_before_the_prompt()
    {
        var payload = AiGeneratePayload.From(Json("""{"prompt":"Open today?","context":"Hours: 8-18","system":"You are a bakery.","model":"m","maxTokens":64}"""));

        var messages = payload.ToMessages();

        Assert.Equal([(ChatRole.System, "You are a bakery.\n\nContext:\nHours: 8-18"), (ChatRole.User, "Open today?")], messages.Select(m => (m.Role, m.Text)));
        Assert.Equal(("m", 64), (payload.ToOptions().ModelId, payload.ToOptions().MaxOutputTokens));
    }

    [Fact]
    public async Task The_local_responder_answers_into_a_text_artifact_with_its_usage()
    {
        var result = await Processor.ProcessAsync(Execution("""{"prompt":"Quanto custa o bolo?"}"""), CancellationToken.None);

        var artifact = Assert.Single(result.Artifacts);
        Assert.False(string.IsNullOrWhiteSpace(artifact.Value));
        Assert.Equal((LocalResponderChatClient.ModelId, 0m), (result.Usage!.Model, result.Usage.Cost));
        Assert.True(result.Usage.TokensIn > 0 && result.Usage.TokensOut > 0);
    }

    [Fact]
    public async Task A_provider_that_is_not_configured_fails_for_good()
    {
        var exception = await Assert.ThrowsAsync<ProviderException>(() =>
            Processor.ProcessAsync(Execution("""{"prompt":"Hi","provider":"nope"}"""), CancellationToken.None));

        var failure = Processor.ClassifyFailure(exception);

        Assert.Equal(("provider_not_configured", false), (failure.Code, failure.IsRetryable));
    }

    [Fact]
    public void A_rate_limit_is_retried_no_sooner_than_the_provider_asked()
    {
        var failure = Processor.ClassifyFailure(ProviderException.FromStatus("openai", 429, "slow down", null, TimeSpan.FromSeconds(7)));

        Assert.Equal(("rate_limited", true, TimeSpan.FromSeconds(7)), (failure.Code, failure.IsRetryable, failure.RetryAfter));
    }
}
