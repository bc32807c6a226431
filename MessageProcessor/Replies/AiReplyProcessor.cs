using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database;
using SaasAssistants.Database.Conversations;
using SaasAssistants.Database.Media;
using SaasAssistants.MessageProcessor.Ai;
using SaasAssistants.MessageProcessor.Ai.Providers;
using SaasAssistants.MessageProcessor.Budgets;
using SaasAssistants.MessageProcessor.Context;
using SaasAssistants.MessageProcessor.Knowledge;
using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.MessageProcessor.Replies;

/// <summary>
/// <c>ai.reply</c>: answers one burst of a conversation. The assistant's provider chain gets the system message
/// (prompt, language, greeting rule, summary, retrieved knowledge), the recent turns within the token budget, and the
/// handoff tool; the reply, or the handoff the model asked for, is stored by <see cref="ReplyWriter"/>. The attempt
/// records the model that answered, tokens, cost (null when unpriced) and latency. Nothing calls a provider when a
/// person has the conversation or the tenant's monthly AI budget is spent: the latter hands the conversation over.
/// </summary>
public sealed class AiReplyProcessor(
    ProviderRegistry providers,
    PriceTable prices,
    AiBudget budget,
    ConversationContext context,
    TokenCounter tokens,
    IOptions<ContextBudget> contextBudget,
    TimeProvider time) : ITaskProcessor
{
    public const string TaskType = AiReplyTask.Type;
    public const int Priority = AiReplyTask.Priority;
    public const string ConversationNotFound = "conversation_not_found";
    public const string EmptyReply = "empty_reply";

    private const int KnowledgePassages = 5;
    private const int MaxToolRounds = 3;

    public string Type => TaskType;

    public IReadOnlyList<TaskPayloadError> Validate(JsonElement payload) => AiReplyPayload.Validate(payload);

    public async Task<TaskResult> ProcessAsync(TaskExecution task, CancellationToken cancellationToken)
    {
        var payload = AiReplyPayload.From(task.Payload);
        var db = task.Services.GetRequiredService<SaasDbContext>();
        var writer = task.Services.GetRequiredService<ReplyWriter>();
        var conversation = await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == payload.ConversationId, cancellationToken)
            ?? throw new ConversationNotFoundException(payload.ConversationId);
        // An earlier attempt stored the reply (or a newer task took over): nothing left to do.
        if (conversation.ReplyTaskId != task.TaskId)
        {
            return TaskResult.Empty;
        }

        if (!conversation.AssistantMayReply || conversation.AssistantId is not { } assistantId)
        {
            await writer.WriteAsync(task.TaskId, conversation.Id, null, null, null, summarize: false, cancellationToken);
            return TaskResult.Empty;
        }

        var assistant = await db.Assistants.AsNoTracking().SingleAsync(a => a.Id == assistantId, cancellationToken);
        var settings = AssistantReplySettings.Parse(assistant.ProviderSettings);
        var burst = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversation.Id && m.TaskId == task.TaskId && m.Direction == MessageDirection.Inbound)
            .OrderBy(m => m.CreatedAt).Select(m => m.Content).ToListAsync(cancellationToken);
        var burstText = string.Join('\n', burst.Select(c => c.Text).Where(t => !string.IsNullOrWhiteSpace(t)));

        if ((await budget.CheckAsync(db, cancellationToken)).IsReached)
        {
            var language = LocalResponderChatClient.CustomerLanguage([new ChatMessage(ChatRole.User, burstText)]);
            var reply = await writer.WriteAsync(task.TaskId, conversation.Id, LocalResponderChatClient.Text("HandedToTeam", language),
                LocalResponderChatClient.ModelId, HandoffReasons.AiBudgetReached, summarize: false, cancellationToken);
            return new TaskResult(reply is null ? [] : [TaskOutput.Text(reply.Content.Text ?? string.Empty)]);
        }

        var retriever = task.Services.GetRequiredService<IKnowledgeRetriever>();
        var knowledge = burstText.Length == 0 ? []
            : await retriever.RetrieveAsync(assistantId, burstText, KnowledgePassages, cancellationToken);
        var channelType = await db.Channels.AsNoTracking().Where(c => c.Id == conversation.ChannelId).Select(c => c.Type).SingleAsync(cancellationToken);
        // The web widget shows the assistant's greeting as soon as it opens; on the other channels the first reply greets.
        var greetingShown = channelType == "web" && !string.IsNullOrWhiteSpace(assistant.Greeting);
        var system = AssistantPrompt.BuildSystem(assistant.SystemPrompt, settings.Language, assistant.Greeting, greetingShown,
            conversation.Summary, knowledge);
        var turns = await context.BuildAsync(db, task.Services.GetRequiredService<IMediaStorage>(), conversation, contextBudget.Value.For(settings.Model, settings.ContextTokens),
            tokens.CountMessage(system.Text), cancellationToken, task.TaskId);

        var chain = providers.CreateChain(AssistantProviderSettings.Parse(assistant.ProviderSettings).Chain is { Count: > 0 } own ? own : null);
        // A model may call the assistant's tools (look up knowledge, ask for a person); the function-invoking client runs
        // them and asks again, a few rounds at most, and its response sums the usage of every round.
        var toolRunner = new FunctionInvokingChatClient(chain) { MaximumIterationsPerRequest = MaxToolRounds };
        var tools = AssistantTools.For(retriever, assistantId);
        var started = time.GetTimestamp();
        var response = await toolRunner.GetResponseAsync([system, .. turns.Turns],
            AssistantPrompt.BuildOptions(assistant.Greeting, greetingShown, knowledge, settings.Model, settings.MaxTokens, tools), cancellationToken);
        var latency = time.GetElapsedTime(started);

        var model = response.ModelId ?? chain.Providers[0];
        var handoff = HandoffTool.RequestedIn(response);
        var text = response.Text;
        if (string.IsNullOrWhiteSpace(text))
        {
            if (handoff is null)
            {
                throw new EmptyReplyException(model);
            }

            var language = LocalResponderChatClient.CustomerLanguage(turns.Turns);
            text = LocalResponderChatClient.Text(handoff switch
            {
                HandoffTool.CustomerAsked => "HumanRequested",
                HandoffTool.NoKnowledge => "PassingToTeam",
                _ => "HandedToTeam",
            }, language);
        }
        var reason = handoff switch
        {
            null => null,
            HandoffTool.CustomerAsked => HandoffReasons.CustomerAsked,
            HandoffTool.NoKnowledge => HandoffReasons.NoKnowledge,
            _ => HandoffReasons.AssistantCannotHelp,
        };
        var summarize = turns.DroppedMessages >= contextBudget.Value.SummarizeAfterDroppedMessages;
        await writer.WriteAsync(task.TaskId, conversation.Id, text, model, reason, summarize, cancellationToken);

        var tokensIn = (int)(response.Usage?.InputTokenCount ?? 0);
        var tokensOut = (int)(response.Usage?.OutputTokenCount ?? 0);
        return new TaskResult([TaskOutput.Text(text)], new TaskUsage(model, tokensIn, tokensOut, prices.Cost(model, tokensIn, tokensOut).OrNull, latency));
    }

    public TaskFailure ClassifyFailure(Exception exception) => exception switch
    {
        ProviderException failure => new TaskFailure(failure.ErrorCode, failure.IsRetryable, failure.Message, failure.RetryAfter),
        ConversationNotFoundException => new TaskFailure(ConversationNotFound, false, exception.Message),
        InvalidAssistantSettingsException => new TaskFailure(Tasks.Processors.AiGenerateProcessor.InvalidAssistantSettings, false, exception.Message),
        // A model that said nothing may say something next time.
        EmptyReplyException => new TaskFailure(EmptyReply, true, exception.Message),
        _ => TaskFailure.Unexpected(exception),
    };
}

public sealed class EmptyReplyException(string model) : InvalidOperationException($"The model {model} returned an empty reply and no tool call.");
