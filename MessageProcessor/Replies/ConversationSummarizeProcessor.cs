using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database;
using SaasAssistants.MessageProcessor.Ai;
using SaasAssistants.MessageProcessor.Ai.Providers;
using SaasAssistants.MessageProcessor.Context;
using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.MessageProcessor.Replies;

/// <summary>
/// <c>conversation.summarize</c>: folds the turns that no longer fit a reply's token budget into the conversation's
/// rolling summary (previous summary + those turns → new summary), leaving the newest half of the budget verbatim.
/// With a real provider the model writes the summary; the built-in responder cannot, so then the summary is
/// extractive: the opening of each condensed turn, newest kept when it runs long. Saved through the entity with
/// optimistic locking (a concurrent change makes the save fail and retry on fresh data).
/// </summary>
public sealed class ConversationSummarizeProcessor(ProviderRegistry providers, PriceTable prices, TokenCounter tokens,
    IOptions<ContextBudget> contextBudget, TimeProvider time) : ITaskProcessor
{
    public const string TaskType = "conversation.summarize";
    private const int MaxSummaryChars = 2000;
    private const int TurnOpeningChars = 140;

    public string Type => TaskType;

    public IReadOnlyList<TaskPayloadError> Validate(JsonElement payload) => AiReplyPayload.Validate(payload);

    public async Task<TaskResult> ProcessAsync(TaskExecution task, CancellationToken cancellationToken)
    {
        var conversationId = AiReplyPayload.From(task.Payload).ConversationId;
        var db = task.Services.GetRequiredService<SaasDbContext>();
        var conversation = await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == conversationId, cancellationToken)
            ?? throw new ConversationNotFoundException(conversationId);
        var since = conversation.SummaryThrough ?? DateTimeOffset.MinValue;
        var rows = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.CreatedAt > since && (m.Direction == MessageDirection.Outbound || m.TaskId != null))
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Select(m => new { m.Direction, m.Content, m.CreatedAt })
            .ToListAsync(cancellationToken);

        // Keep the newest half of the default budget verbatim; everything older is condensed.
        var keep = contextBudget.Value.DefaultTokens / 2;
        var used = 0;
        var cut = 0;
        while (cut < rows.Count && used + tokens.CountMessage(rows[cut].Content.Text) <= keep)
        {
            used += tokens.CountMessage(rows[cut++].Content.Text);
        }

        var condensed = rows.Skip(cut).Reverse().Select(r => (Role: r.Direction == MessageDirection.Inbound ? "Customer" : "Assistant", Text: r.Content.Text ?? "")).ToList();
        if (condensed.Count == 0)
        {
            return TaskResult.Empty;
        }

        var through = rows[cut].CreatedAt;

        TaskUsage? usage = null;
        string summary;
        var chain = providers.CreateChain();
        if (chain.Providers[0] == ProviderRegistry.LocalProviderName)
        {
            summary = Extractive(conversation.Summary, condensed);
        }
        else
        {
            var started = time.GetTimestamp();
            var prompt = new StringBuilder("Summarize this customer conversation for the assistant that continues it: facts, requests, promises, open questions. At most 150 words.\n\n");
            if (conversation.Summary is not null)
            {
                prompt.Append("Earlier summary:\n").Append(conversation.Summary).Append("\n\n");
            }

            foreach (var (role, text) in condensed)
            {
                prompt.Append(role).Append(": ").Append(text).Append('\n');
            }

            var response = await chain.GetResponseAsync([new ChatMessage(ChatRole.User, prompt.ToString())], cancellationToken: cancellationToken);
            summary = string.IsNullOrWhiteSpace(response.Text) ? Extractive(conversation.Summary, condensed) : response.Text.Trim();
            var model = response.ModelId ?? chain.Providers[0];
            var tokensIn = (int)(response.Usage?.InputTokenCount ?? 0);
            var tokensOut = (int)(response.Usage?.OutputTokenCount ?? 0);
            usage = new TaskUsage(model, tokensIn, tokensOut, prices.Cost(model, tokensIn, tokensOut).OrNull, time.GetElapsedTime(started));
        }

        await ConversationUpdates.ApplyAsync(db, conversationId, c => c.Summarize(summary, through), cancellationToken);
        return new TaskResult([TaskOutput.Text(summary)], usage);
    }

    private static string Extractive(string? previous, IReadOnlyList<(string Role, string Text)> turns)
    {
        var lines = turns.Select(t => $"{t.Role}: {Opening(t.Text)}").ToList();
        var all = previous is null ? lines : [previous, .. lines];
        // Newest first until full, then back in order: the most recent condensed turns matter most.
        var kept = new List<string>();
        var length = 0;
        for (var i = all.Count - 1; i >= 0 && length + all[i].Length + 1 <= MaxSummaryChars; i--)
        {
            kept.Add(all[i]);
            length += all[i].Length + 1;
        }
        kept.Reverse();
        return string.Join('\n', kept);
    }

    private static string Opening(string text)
    {
        var oneLine = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= TurnOpeningChars ? oneLine : string.Concat(oneLine.AsSpan(0, TurnOpeningChars).TrimEnd(), "…");
    }

    public TaskFailure ClassifyFailure(Exception exception) => exception switch
    {
        ProviderException failure => new TaskFailure(failure.ErrorCode, failure.IsRetryable, failure.Message, failure.RetryAfter),
        ConversationNotFoundException => new TaskFailure(AiReplyProcessor.ConversationNotFound, false, exception.Message),
        _ => TaskFailure.Unexpected(exception),
    };
}
