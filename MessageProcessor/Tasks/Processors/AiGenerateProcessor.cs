using System.Text.Json;
using SaasAssistants.MessageProcessor.Ai.Providers;

namespace SaasAssistants.MessageProcessor.Tasks.Processors;

/// <summary>
/// <c>ai.generate</c>: one prompt through the provider chain (<c>Ai:Chain</c>, or only the provider the payload names)
/// to one text artifact. The attempt records the model that actually answered, which after a fallback is not the first
/// provider's, with its tokens, cost and latency.
/// </summary>
public sealed class AiGenerateProcessor(ProviderRegistry providers, PriceTable prices, TimeProvider time) : ITaskProcessor
{
    public const string TaskType = "ai.generate";

    public string Type => TaskType;

    public IReadOnlyList<TaskPayloadError> Validate(JsonElement payload) => AiGeneratePayload.Validate(payload);

    public async Task<TaskResult> ProcessAsync(TaskExecution context, CancellationToken cancellationToken)
    {
        var payload = AiGeneratePayload.From(context.Payload);
        // A named provider that is not configured throws provider_not_configured here, before any call.
        var chain = providers.CreateChain(payload.Provider is null ? null : [payload.Provider]);
        var started = time.GetTimestamp();
        var response = await chain.GetResponseAsync(payload.ToMessages(), payload.ToOptions(), cancellationToken);
        var latency = time.GetElapsedTime(started);

        var model = response.ModelId ?? chain.Providers[0];
        // A compatible server that reports no usage is recorded as zero tokens, and so at no cost.
        var tokensIn = (int)(response.Usage?.InputTokenCount ?? 0);
        var tokensOut = (int)(response.Usage?.OutputTokenCount ?? 0);
        return new TaskResult([TaskOutput.Text(response.Text)], new TaskUsage(model, tokensIn, tokensOut, prices.Cost(model, tokensIn, tokensOut).Usd, latency));
    }

    public TaskFailure ClassifyFailure(Exception exception) => exception switch
    {
        ProviderException failure => new TaskFailure(failure.ErrorCode, failure.IsRetryable, failure.Message, failure.RetryAfter),
        _ => TaskFailure.Unexpected(exception),
    };
}
