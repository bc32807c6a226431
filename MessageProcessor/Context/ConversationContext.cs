using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.MessageProcessor.Context;

/// <summary>
/// The turns that go with a reply: the newest ones verbatim, as many as fit the token budget next to the system
/// message; the older ones are represented by the conversation's rolling summary. Messages of a later burst (inbound,
/// not yet taken by a task) are left for their own reply.
/// </summary>
public sealed class ConversationContext(TokenCounter tokens)
{
    /// <param name="replyTaskId">The burst being answered (inbound messages of this task): it goes last, after the
    /// history, even when a reply to an earlier burst was stored after it arrived.</param>
    public async Task<ReplyContext> BuildAsync(SaasDbContext db, Conversation conversation, int budgetTokens, int systemTokens,
        CancellationToken cancellationToken, Guid? replyTaskId = null)
    {
        var since = conversation.SummaryThrough ?? DateTimeOffset.MinValue;
        var rows = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversation.Id && m.CreatedAt > since
                        && (m.Direction == MessageDirection.Outbound || m.TaskId != null))
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Select(m => new { m.Direction, m.Content, m.CreatedAt, m.TaskId })
            .ToListAsync(cancellationToken);
        // Newest first, the burst being answered ahead of everything (OrderBy is stable, so the rest keeps its order).
        rows = rows.OrderBy(m => replyTaskId is not null && m.Direction == MessageDirection.Inbound && m.TaskId == replyTaskId ? 0 : 1).ToList();

        var left = Math.Max(budgetTokens - systemTokens, 0);
        var kept = new List<ChatMessage>();
        var used = 0;
        var index = 0;
        for (; index < rows.Count; index++)
        {
            var text = rows[index].Content.Text ?? string.Empty;
            var cost = tokens.CountMessage(text);
            // The newest message always goes, even alone over budget: a reply must see what it answers.
            if (kept.Count > 0 && used + cost > left)
            {
                break;
            }

            used += cost;
            kept.Add(new ChatMessage(rows[index].Direction == MessageDirection.Inbound ? ChatRole.User : ChatRole.Assistant, text));
        }
        kept.Reverse();
        var dropped = rows.Count - index;
        // The newest turn left out, by time: the summary must cover it and everything before it.
        return new ReplyContext(kept, used, dropped, dropped > 0 ? rows.Skip(index).Max(r => r.CreatedAt) : null);
    }
}

/// <summary>The verbatim turns (oldest first) and their tokens; <see cref="DroppedThrough"/>: the newest turn left out.</summary>
public sealed record ReplyContext(IReadOnlyList<ChatMessage> Turns, int Tokens, int DroppedMessages, DateTimeOffset? DroppedThrough);
