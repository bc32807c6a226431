using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;
using SaasAssistants.MessageProcessor.Ai.Providers;

namespace SaasAssistants.MessageProcessor.Tasks.Processors;

/// <summary>
/// <c>ai.generate</c>: one prompt through the provider chain (the payload's assistant's own chain, else <c>Ai:Chain</c>;
/// or only the provider the payload names)
/// to one text artifact. The attempt records the model that actually answered, which after a fallback is not the first
/// provider's, with its tokens, cost and latency.
/// </summary>
public sealed class AiGenerateProcessor(ProviderRegistry providers, PriceTable prices, TimeProvider time) : ITaskProcessor
{
    public const string TaskType = "ai.generate";
    public const string AssistantNotFound = "assistant_not_found";
    public const string InvalidAssistantSettings = "invalid_assistant_settings";

    public string Type => TaskType;

    public IReadOnlyList<TaskPayloadError> Validate(JsonElement payload) => AiGeneratePayload.Validate(payload);

    public async Task<TaskResult> ProcessAsync(TaskExecution context, CancellationToken cancellationToken)
    {
        var payload = AiGeneratePayload.From(context.Payload);
        // A named provider that is not configured throws provider_not_configured here, before any call.
        var chain = providers.CreateChain(payload.Provider is { } provider ? [provider] : await AssistantChainAsync(payload, context, cancellationToken));
        var started = time.GetTimestamp();
        var response = await chain.GetResponseAsync(payload.ToMessages(), payload.ToOptions(), cancellationToken);
        var latency = time.GetElapsedTime(started);

        var model = response.ModelId ?? chain.Providers[0];
        // A compatible server that reports no usage is recorded as zero tokens, and so at no cost.
        var tokensIn = (int)(response.Usage?.InputTokenCount ?? 0);
        var tokensOut = (int)(response.Usage?.OutputTokenCount ?? 0);
        return new TaskResult([TaskOutput.Text(response.Text)], new TaskUsage(model, tokensIn, tokensOut, prices.Cost(model, tokensIn, tokensOut).OrNull, latency));
    }

    /// <summary>The assistant's own chain, when the payload names an assistant that has one; null: <c>Ai:Chain</c>.</summary>
    private static async Task<IReadOnlyList<string>?> AssistantChainAsync(AiGeneratePayload payload, TaskExecution context, CancellationToken cancellationToken)
    {
        if (payload.AssistantId is not { } assistantId)
        {
            return null;
        }
        // The task's tenant scope: another tenant's assistant is not found, like one that does not exist.
        var db = context.Services.GetRequiredService<SaasDbContext>();
        var settings = await db.Assistants.AsNoTracking().Where(a => a.Id == assistantId).Select(a => a.ProviderSettings).SingleOrDefaultAsync(cancellationToken)
            ?? throw new AssistantNotFoundException(assistantId);
        var chain = AssistantProviderSettings.Parse(settings).Chain;
        return chain.Count == 0 ? null : chain;
    }

    public TaskFailure ClassifyFailure(Exception exception) => exception switch
    {
        ProviderException failure => new TaskFailure(failure.ErrorCode, failure.IsRetryable, failure.Message, failure.RetryAfter),
        // Neither gets better by trying again: the task ends at once.
        AssistantNotFoundException => new TaskFailure(AssistantNotFound, false, exception.Message),
        InvalidAssistantSettingsException => new TaskFailure(InvalidAssistantSettings, false, exception.Message),
        _ => TaskFailure.Unexpected(exception),
    };
}
