using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Media;

namespace SaasAssistants.MessageProcessor.Context;

/// <summary>
/// The turns that go with a reply: the newest ones verbatim, as many as fit the token budget next to the system
/// message; the older ones are represented by the conversation's rolling summary. Messages of a later burst (inbound,
/// not yet taken by a task) are left for their own reply. A customer's stored image goes as the image itself (the
/// newest <see cref="ContextImages.MaxWithBytes"/> only); any other attachment, a location or a contact as a
/// <see cref="MediaMarkers">marker</see>, so no turn is empty.
/// </summary>
public sealed class ConversationContext(TokenCounter tokens)
{
    /// <param name="replyTaskId">The burst being answered (inbound messages of this task): it goes last, after the
    /// history, even when a reply to an earlier burst was stored after it arrived.</param>
    public async Task<ReplyContext> BuildAsync(SaasDbContext db, IMediaStorage media, Conversation conversation, int budgetTokens, int systemTokens,
        CancellationToken cancellationToken, Guid? replyTaskId = null)
    {
        var since = conversation.SummaryThrough ?? DateTimeOffset.MinValue;
        // One query: each message with its attachment's row (status, type, size), never its bytes.
        var rows = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversation.Id && m.CreatedAt > since
                        && (m.Direction == MessageDirection.Outbound || m.TaskId != null))
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Select(m => new Row(m.Direction, m.Content, m.CreatedAt, m.TaskId, db.MessageMedia
                .Where(f => f.MessageId == m.Id).OrderBy(f => f.CreatedAt)
                .Select(f => new MediaFacts(f.Id, f.Status, f.ContentType, f.SizeBytes)).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        // Newest first, the burst being answered ahead of everything (OrderBy is stable, so the rest keeps its order).
        rows = rows.OrderBy(m => replyTaskId is not null && m.Direction == MessageDirection.Inbound && m.TaskId == replyTaskId ? 0 : 1).ToList();

        var left = Math.Max(budgetTokens - systemTokens, 0);
        var kept = new List<Turn>();
        var used = 0;
        var images = 0;
        var index = 0;
        for (; index < rows.Count; index++)
        {
            var row = rows[index];
            var withImage = row.Direction == MessageDirection.Inbound && images < ContextImages.MaxWithBytes && ContextImages.CanSend(row.Content.Type, row.Media);
            var turn = Turn.For(row, withImage);
            var cost = Cost(turn);
            // An image that does not fit goes as its marker, rather than pushing the turns before it out.
            if (withImage && kept.Count > 0 && used + cost > left)
            {
                turn = Turn.For(row, withImage: false);
                cost = Cost(turn);
            }
            // The newest message always goes, even alone over budget: a reply must see what it answers.
            if (kept.Count > 0 && used + cost > left)
            {
                break;
            }

            used += cost;
            images += turn.Image is null ? 0 : 1;
            kept.Add(turn);
        }
        kept.Reverse();
        var dropped = rows.Count - index;
        var turns = await ToMessagesAsync(kept, media, cancellationToken);
        // The newest turn left out, by time: the summary must cover it and everything before it.
        return new ReplyContext(turns, used, dropped, dropped > 0 ? rows.Skip(index).Max(r => r.CreatedAt) : null);
    }

    private int Cost(Turn turn) => tokens.CountMessage(string.Join(' ', turn.Texts)) + (turn.Image is null ? 0 : ContextImages.TokensPerImage);

    /// <summary>The kept turns as chat messages; only now are bytes read, and only for the images that made the cut.</summary>
    private static async Task<List<ChatMessage>> ToMessagesAsync(List<Turn> kept, IMediaStorage media, CancellationToken cancellationToken)
    {
        var messages = new List<ChatMessage>(kept.Count);
        foreach (var turn in kept)
        {
            var contents = new List<AIContent>();
            var image = turn.Image is { } facts ? await media.ReadAsync(facts.Id, cancellationToken) : null;
            if (turn.Image is not null && image is null)
            {
                // Stored, then gone (deleted with its message's tenant data, say): the model is told, not shown.
                contents.Add(MediaMarkers.Content(MediaMarkers.For(turn.Content)!));
            }

            contents.AddRange(turn.Texts.Select((text, i) => i == 0 && turn.Marked ? MediaMarkers.Content(text) : new TextContent(text)));
            if (image is not null)
            {
                contents.Add(new DataContent(image, ContextImages.MediaType(turn.Image!.ContentType!)));
            }

            messages.Add(new ChatMessage(turn.Role, contents.Count > 0 ? contents : [new TextContent(string.Empty)]));
        }
        return messages;
    }

    private sealed record Row(MessageDirection Direction, MessageContent Content, DateTimeOffset CreatedAt, Guid? TaskId, MediaFacts? Media);

    /// <summary>One turn before its bytes are read: its texts (a marker first, when <see cref="Marked"/>) and the image to attach.</summary>
    private sealed record Turn(ChatRole Role, MessageContent Content, IReadOnlyList<string> Texts, bool Marked, MediaFacts? Image)
    {
        public static Turn For(Row row, bool withImage)
        {
            var role = row.Direction == MessageDirection.Inbound ? ChatRole.User : ChatRole.Assistant;
            var text = string.IsNullOrWhiteSpace(row.Content.Text) ? null : row.Content.Text;
            // Our own replies and an image that goes as itself need no marker; everything else the model cannot see does.
            var marker = role == ChatRole.User && !withImage ? MediaMarkers.For(row.Content) : null;
            IReadOnlyList<string> texts = marker is null ? text is null ? [] : [text] : text is null ? [marker] : [marker, text];
            return new Turn(role, row.Content, texts, marker is not null, withImage ? row.Media : null);
        }
    }
}

/// <summary>The verbatim turns (oldest first) and their tokens; <see cref="DroppedThrough"/>: the newest turn left out.</summary>
public sealed record ReplyContext(IReadOnlyList<ChatMessage> Turns, int Tokens, int DroppedMessages, DateTimeOffset? DroppedThrough);
