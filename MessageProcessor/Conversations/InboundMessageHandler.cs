using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using SaasAssistants.Knowledge.Search;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.Database.Tasks;
using SaasAssistants.MessageProcessor.Ai;
using SaasAssistants.MessageProcessor.Channels;
using SaasAssistants.ServiceDefaults.Correlation;
using SaasAssistants.MessageProcessor.Diagnostics;
using SaasAssistants.EventBus;

namespace SaasAssistants.MessageProcessor.Conversations;

/// <summary>
/// Turns an inbound channel message into contact, conversation and message rows, answers it, and announces both
/// messages and the reply through the outbox, all in one transaction: either everything happened or nothing did,
/// so a redelivered event (the consumer's retry, or the Gateway's duplicate webhook) finds its message stored and
/// changes nothing. The reply is generated inside the transaction because, until the task pipeline takes this
/// over, that is what guarantees every stored message its answer.
/// </summary>
public sealed partial class InboundMessageHandler(
    SaasDbContext db,
    ITenantContext tenant,
    IChatClient chatClient,
    IKnowledgeSearch knowledge,
    TimeProvider clock,
    MessageProcessorMetrics metrics,
    ILogger<InboundMessageHandler> logger) : IIntegrationEventHandler<InboundMessageReceived>
{
    public async Task HandleAsync(InboundMessageReceived evt, CancellationToken cancellationToken)
    {
        // First, before any query: EF's filters, the row stamps and row level security all read the tenant from here.
        tenant.SetTenant(evt.TenantId);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var channel = await db.Channels.AsNoTracking()
            .Where(c => c.Id == evt.ChannelId)
            .Select(c => new { c.WorkspaceId, c.AssistantId })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Channel {evt.ChannelId} does not exist in tenant {evt.TenantId}.");

        var receivedAt = Now();
        var contactId = await db.UpsertContactAsync(evt.TenantId, evt.ChannelId, evt.ExternalContactId, evt.ContactName, receivedAt, cancellationToken);
        var conversationId = await db.OpenConversationAsync(evt.TenantId, channel.WorkspaceId, evt.ChannelId, contactId, channel.AssistantId,
            receivedAt, cancellationToken);

        var inbound = new Message
        {
            Id = Guid.CreateVersion7(),
            TenantId = evt.TenantId,
            ConversationId = conversationId,
            ChannelId = evt.ChannelId,
            Direction = MessageDirection.Inbound,
            Sender = MessageSenders.Contact,
            ChannelMessageId = evt.ChannelMessageId,
            Content = evt.Content,
            CreatedAt = receivedAt,
        };
        if (!await db.TryInsertInboundMessageAsync(inbound, cancellationToken))
        {
            // Disposing the uncommitted transaction undoes the contact and conversation upserts as well.
            metrics.DuplicateSkipped(evt.ChannelType.ToString());
            LogDuplicate(evt.EventId, evt.ChannelId, evt.TenantId);
            return;
        }
        db.AddIntegrationEvent(MessageAddedFor(evt, inbound));

        var assistant = channel.AssistantId is { } assistantId
            ? await db.Assistants.AsNoTracking().SingleOrDefaultAsync(a => a.Id == assistantId, cancellationToken)
            : null;
        if (assistant is null)
            LogNoAssistant(inbound.Id, evt.ChannelId, evt.TenantId);
        else
            await AnswerAsync(evt, assistant, inbound, cancellationToken);

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        metrics.MessageProcessed(evt.ChannelType.ToString());
        LogProcessed(inbound.Id, inbound.ConversationId, evt.TenantId, evt.EventId);
    }

    /// <summary>Stores the assistant's reply with its two events, and makes it the conversation's latest message.</summary>
    private async Task AnswerAsync(InboundMessageReceived evt, Assistant assistant, Message inbound, CancellationToken cancellationToken)
    {
        // The web widget shows the assistant's greeting as soon as it opens; on the other channels the first reply greets.
        var greetingShown = evt.ChannelType == ChannelType.Web && !string.IsNullOrWhiteSpace(assistant.Greeting);
        var reply = await GenerateReplyAsync(assistant, greetingShown, inbound, cancellationToken);
        db.Messages.Add(reply);
        db.AddIntegrationEvent(MessageAddedFor(evt, reply));
        if (evt.ChannelType is ChannelType.WhatsApp or ChannelType.Instagram)
            EnqueueSend(reply);
        db.AddIntegrationEvent(new AiResponseGenerated
        {
            TenantId = evt.TenantId,
            ConversationId = reply.ConversationId,
            MessageId = reply.Id,
            ChannelId = reply.ChannelId,
            // What the Gateway needs to deliver without a look-up: the channel kind and the customer's id on it.
            ChannelType = evt.ChannelType,
            ExternalContactId = evt.ExternalContactId,
            Content = reply.Content,
            Model = reply.Model!, // always set by GenerateReplyAsync
            CreatedAt = reply.CreatedAt,
        });
        await db.Conversations
            .Where(c => c.Id == reply.ConversationId)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.LastMessageAt, reply.CreatedAt), cancellationToken);
    }

    /// <summary>
    /// WhatsApp and Instagram replies leave through a message.send task, committed with the reply itself: the send is
    /// retried on its own and cannot be lost between the two (the widget's replies go over the Gateway's live connection).
    /// </summary>
    private void EnqueueSend(Message reply)
    {
        reply.DeliveryStatus = DeliveryStatuses.Queued;
        var now = clock.GetUtcNow();
        var task = TaskItem.Create(reply.TenantId, MessageSendProcessor.TaskType,
            JsonSerializer.Serialize(new { messageId = reply.Id }), now, priority: 10, correlationId: CorrelationContext.Current);
        task.Enqueue(now);
        db.Tasks.Add(task);
        foreach (var @event in task.TakeEvents())
            db.AddIntegrationEvent(@event);
    }

    private async Task<Message> GenerateReplyAsync(Assistant assistant, bool greetingShown, Message inbound, CancellationToken cancellationToken)
    {
        var history = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == inbound.ConversationId && m.Id != inbound.Id)
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Take(AssistantPrompt.HistoryLength)
            .Select(m => new { m.Direction, m.Content })
            .ToListAsync(cancellationToken);
        var chatHistory = history.AsEnumerable().Reverse().Select(m => ToChatMessage(m.Direction, m.Content));
        var messages = AssistantPrompt.BuildMessages(assistant.SystemPrompt, assistant.Greeting, greetingShown, chatHistory,
            ToChatMessage(MessageDirection.Inbound, inbound.Content));

        var options = AssistantPrompt.BuildOptions(assistant.Greeting, greetingShown);
        KnowledgePrompt.Add(messages, options, await RetrieveAsync(assistant.Id, inbound.Content.Text, cancellationToken));

        var started = clock.GetTimestamp();
        var response = await chatClient.GetResponseAsync(messages, options, cancellationToken);
        var model = response.ModelId ?? chatClient.GetService<ChatClientMetadata>()?.DefaultModelId ?? "unknown";
        metrics.ReplyGenerated(clock.GetElapsedTime(started), model);

        if (string.IsNullOrWhiteSpace(response.Text))
            throw new InvalidOperationException($"The chat client ({model}) returned an empty reply for message {inbound.Id}.");
        return new Message
        {
            Id = Guid.CreateVersion7(),
            TenantId = inbound.TenantId,
            ConversationId = inbound.ConversationId,
            ChannelId = inbound.ChannelId,
            Direction = MessageDirection.Outbound,
            Sender = MessageSenders.Assistant,
            Content = MessageContent.FromText(response.Text.Trim()),
            Model = model,
            CreatedAt = Now(),
        };
    }

    /// <summary>The passages of the assistant's knowledge bases that answer the message; none when search fails, so the reply never waits on it.</summary>
    private async Task<IReadOnlyList<KnowledgePassage>> RetrieveAsync(Guid assistantId, string? text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
            return [];
        try
        {
            return await knowledge.SearchAsync(new KnowledgeQuery(text, AssistantId: assistantId), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Knowledge search failed for assistant {AssistantId}; replying without it", assistantId);
            return [];
        }
    }

    private static ChatMessage ToChatMessage(MessageDirection direction, MessageContent content)
        => new(direction == MessageDirection.Inbound ? ChatRole.User : ChatRole.Assistant, content.Text ?? string.Empty);

    private static MessageAdded MessageAddedFor(InboundMessageReceived evt, Message message) => new()
    {
        TenantId = evt.TenantId,
        ConversationId = message.ConversationId,
        MessageId = message.Id,
        ChannelId = message.ChannelId,
        ChannelType = evt.ChannelType,
        Direction = message.Direction,
        Content = message.Content,
        CreatedAt = message.CreatedAt,
    };

    /// <summary>PostgreSQL keeps microseconds; truncating here makes the events carry exactly the stored times.</summary>
    private DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored inbound message {MessageId} in conversation {ConversationId} of tenant {TenantId} (event {IntegrationEventId})")]
    private partial void LogProcessed(Guid messageId, Guid conversationId, Guid tenantId, Guid integrationEventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {IntegrationEventId} repeats a message already stored for channel {ChannelId} of tenant {TenantId}; skipped")]
    private partial void LogDuplicate(Guid integrationEventId, Guid channelId, Guid tenantId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId} of tenant {TenantId} has no assistant; message {MessageId} waits for an agent")]
    private partial void LogNoAssistant(Guid messageId, Guid channelId, Guid tenantId);
}
