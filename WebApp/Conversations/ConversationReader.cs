using Microsoft.EntityFrameworkCore;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.WebApp.Assistants;

namespace SaasAssistants.WebApp.Conversations;

/// <summary>
/// The CRM's reads. Every query goes through the tenant-filtered <see cref="SaasDbContext"/>: another tenant's
/// conversation is simply not found. The lists leave the assistants' console conversations out (<see cref="ConsoleConversations"/>).
/// </summary>
public sealed class ConversationReader(SaasDbContext db)
{
    public const int ListSize = 100;
    public const int MessagePageSize = 500;

    public async Task<IReadOnlyList<ConversationSummary>> ListRecentAsync(CancellationToken cancellationToken)
        => await Summaries(db.Conversations.ExceptConsole().OrderByDescending(c => c.LastMessageAt).Take(ListSize)).ToListAsync(cancellationToken);

    /// <summary>One page of the filtered list, most recent activity first; <c>HasMore</c> when another page follows.</summary>
    public async Task<(IReadOnlyList<ConversationSummary> Items, bool HasMore)> ListAsync(ConversationFilter filter, Guid currentUserId,
        CancellationToken cancellationToken)
    {
        var conversations = db.Conversations.ExceptConsole();
        conversations = filter.State switch
        {
            null => conversations,
            "open" or "closed" => conversations.Where(c => c.Status == filter.State),
            var state => conversations.Where(c => c.State == state),
        };
        if (filter.Channel is { } channel)
        {
            conversations = conversations.Where(c => c.Channel!.Type == channel);
        }
        if (filter.Mine)
        {
            conversations = conversations.Where(c => c.AssignedAgentId == currentUserId);
        }
        if (filter.Waiting)
        {
            conversations = conversations.Where(c => c.Handoff == Database.Conversations.Handoff.WaitingForHuman);
        }
        if (filter.Unanswered)
        {
            conversations = conversations.Where(c => db.Messages.Where(m => m.ConversationId == c.Id)
                .OrderByDescending(m => m.CreatedAt).Select(m => m.Direction).FirstOrDefault() == MessageDirection.Inbound);
        }
        if (filter.Search is { } search)
        {
            var pattern = "%" + search.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
            // The message text is inside the jsonb content, which EF maps whole: a SQL subquery (row level security applies).
            var inMessages = db.Database.SqlQuery<Guid>($"SELECT conversation_id AS \"Value\" FROM messages WHERE content->>'text' ILIKE {pattern}");
            conversations = conversations.Where(c => EF.Functions.ILike(c.Contact!.DisplayName ?? "", pattern)
                || EF.Functions.ILike(c.Contact!.ExternalId, pattern)
                || inMessages.Contains(c.Id));
        }
        var page = await Summaries(conversations.OrderByDescending(c => c.LastMessageAt).ThenByDescending(c => c.Id)
                .Skip((filter.Page - 1) * ConversationFilter.PageSize).Take(ConversationFilter.PageSize + 1))
            .ToListAsync(cancellationToken);
        return (page.Take(ConversationFilter.PageSize).ToList(), page.Count > ConversationFilter.PageSize);
    }

    /// <summary>A row of the list (for the list's live updates): null for another tenant's or a console conversation.</summary>
    public Task<ConversationSummary?> FindListItemAsync(Guid conversationId, CancellationToken cancellationToken)
        => Summaries(db.Conversations.ExceptConsole().Where(c => c.Id == conversationId)).FirstOrDefaultAsync(cancellationToken);

    public Task<ConversationSummary?> FindSummaryAsync(Guid conversationId, CancellationToken cancellationToken)
        => Summaries(db.Conversations.Where(c => c.Id == conversationId)).FirstOrDefaultAsync(cancellationToken);

    public async Task<ConversationDetails?> FindDetailsAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        var summary = await FindSummaryAsync(conversationId, cancellationToken);
        if (summary is null)
        {
            return null;
        }
        var details = await db.Conversations.Where(c => c.Id == conversationId)
            .Select(c => new
            {
                c.State, c.Handoff, c.HandoffReason, c.AssignedAgentId, c.Version,
                AgentName = db.Users.Where(u => u.Id == c.AssignedAgentId).Select(u => u.DisplayName).FirstOrDefault(),
                HasAssistant = c.AssistantId != null,
                c.Channel!.Provider,
                LastCustomerMessageAt = db.Messages.Where(m => m.ConversationId == c.Id && m.Direction == MessageDirection.Inbound)
                    .Max(m => (DateTimeOffset?)m.CreatedAt),
            })
            .SingleAsync(cancellationToken);
        return new ConversationDetails(summary, details.State, details.Handoff, details.HandoffReason, details.AssignedAgentId, details.AgentName,
            details.HasAssistant, details.Provider, details.LastCustomerMessageAt, details.Version);
    }

    public async Task<IReadOnlyList<NoteView>> ListNotesAsync(Guid conversationId, CancellationToken cancellationToken)
        => await db.ConversationNotes.Where(n => n.ConversationId == conversationId).OrderBy(n => n.CreatedAt)
            .Select(n => new NoteView(n.Id, n.Text, db.Users.Where(u => u.Id == n.AuthorId).Select(u => u.DisplayName).FirstOrDefault(), n.CreatedAt))
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<AgentOption>> ListAgentsAsync(CancellationToken cancellationToken)
        => await db.Users.OrderBy(u => u.DisplayName).Select(u => new AgentOption(u.Id, u.DisplayName)).ToListAsync(cancellationToken);

    public Task<bool> ExistsAsync(Guid conversationId, CancellationToken cancellationToken)
        => db.Conversations.AnyAsync(c => c.Id == conversationId, cancellationToken);

    /// <summary>The latest messages, oldest first; with <paramref name="after"/>, those created at or after it (the script drops the ones it has).</summary>
    public async Task<IReadOnlyList<MessageView>> ListMessagesAsync(Guid conversationId, DateTimeOffset? after, CancellationToken cancellationToken)
    {
        var messages = db.Messages.Where(m => m.ConversationId == conversationId);
        if (after is { } since)
        {
            messages = messages.Where(m => m.CreatedAt >= since);
        }

        var latest = await messages.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Take(MessagePageSize).ToListAsync(cancellationToken);
        var agents = await AgentNamesAsync(latest.Select(m => m.AgentId), cancellationToken);
        var stored = await StoredMediaAsync(latest.Select(m => m.Id), cancellationToken);
        return latest.AsEnumerable().Reverse()
            .Select(m => WithStoredMedia(MessageView.From(m), stored) with { AgentName = m.AgentId is { } id ? agents.GetValueOrDefault(id) : null })
            .ToList();
    }

    /// <summary>A stored attachment of one of the conversation's messages (null when not stored, or not this conversation's).</summary>
    public Task<MessageMedia?> FindStoredMediaAsync(Guid conversationId, Guid mediaId, CancellationToken cancellationToken)
        => db.MessageMedia.AsNoTracking()
            .Where(m => m.Id == mediaId && m.Status == MediaStatuses.Stored
                && db.Messages.Any(message => message.Id == m.MessageId && message.ConversationId == conversationId))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>The first stored attachment of each message, by message id.</summary>
    private async Task<IReadOnlyDictionary<Guid, Guid>> StoredMediaAsync(IEnumerable<Guid> messageIds, CancellationToken cancellationToken)
    {
        var ids = messageIds.ToList();
        var stored = await db.MessageMedia.AsNoTracking()
            .Where(m => ids.Contains(m.MessageId) && m.Status == MediaStatuses.Stored)
            .OrderBy(m => m.CreatedAt)
            .Select(m => new { m.MessageId, m.Id })
            .ToListAsync(cancellationToken);
        return stored.GroupBy(m => m.MessageId).ToDictionary(g => g.Key, g => g.First().Id);
    }

    // The copy we stored outlives the channel's link (Meta's media URLs need its token and expire), so the page shows ours.
    private static MessageView WithStoredMedia(MessageView view, IReadOnlyDictionary<Guid, Guid> stored)
        => view.Media is { } media && stored.TryGetValue(view.MessageId, out var mediaId)
            ? view with { Media = media with { Url = MediaPath(view.ConversationId, mediaId) } }
            : view;

    public static string MediaPath(Guid conversationId, Guid mediaId) => $"/api/conversations/{conversationId}/media/{mediaId}";

    /// <summary>The display names of the agents who wrote messages (a removed user's messages stay nameless).</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> AgentNamesAsync(IEnumerable<Guid?> agentIds, CancellationToken cancellationToken)
    {
        var ids = agentIds.OfType<Guid>().Distinct().ToList();
        return ids.Count == 0
            ? new Dictionary<Guid, string>()
            : await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
    }

    private IQueryable<ConversationSummary> Summaries(IQueryable<Database.Entities.Conversation> conversations)
        => conversations.Select(c => new
        {
            Conversation = c,
            Contact = c.Contact!,
            ChannelType = c.Channel!.Type,
            Last = db.Messages.Where(m => m.ConversationId == c.Id).OrderByDescending(m => m.CreatedAt)
                .Select(m => new { m.Content, m.Direction }).FirstOrDefault(),
        })
        .Select(x => new ConversationSummary(
            x.Conversation.Id,
            x.Contact.DisplayName ?? x.Contact.ExternalId,
            x.Contact.ExternalId,
            x.ChannelType,
            x.Conversation.Status,
            x.Conversation.LastMessageAt,
            x.Last == null ? null : x.Last.Content,
            x.Last == null ? null : x.Last.Direction,
            x.Conversation.State,
            x.Conversation.Handoff));
}
