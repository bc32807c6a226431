using Microsoft.EntityFrameworkCore;
using Npgsql;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Events.Conversations;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.Database.Conversations;

/// <summary>
/// What a person does to a conversation, for the CRM and the public API alike: reply, take over (assign), hand back,
/// close, reopen, note. Every change goes through <see cref="Conversation"/>'s state machine, is saved with its version
/// check (a concurrent change is read again and the action decided again, never overwritten) and writes its events to
/// the outbox in the same SaveChanges, as the engine's ReplyWriter does. Another tenant's conversation is not found.
/// </summary>
public sealed class AgentActions(SaasDbContext db, IConversationOutbox outbox, TimeProvider clock)
{
    public const int MaxAttempts = 5;

    /// <summary>
    /// Sends <paramref name="reply"/> to the customer as an agent: stored as an outbound message by that agent, delivered
    /// by a message.send task (WhatsApp, Instagram) or the Gateway's live connection (web widget), and the conversation
    /// is the agent's from now on (handoff human).
    /// </summary>
    /// <param name="beforeSave">Adds to the same SaveChanges (the public API's Idempotency-Key row pointing at the message).</param>
    public async Task<AgentActionResult> ReplyAsync(Guid conversationId, AgentReply reply, CancellationToken cancellationToken,
        Action<Message>? beforeSave = null)
    {
        var (text, invalid) = await ValidateAsync(reply, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }
        return await ChangeAsync(conversationId, async (conversation, now) =>
        {
            if (ConversationState.IsEnded(conversation.State))
            {
                return AgentActionResult.Conflict(AgentActionErrors.ConversationEnded, "The conversation is closed: reopen it first.");
            }
            var target = await db.Channels.AsNoTracking().Where(c => c.Id == conversation.ChannelId)
                .Select(c => new { c.Type, c.Provider, Customer = db.Contacts.Where(k => k.Id == conversation.ContactId).Select(k => k.ExternalId).Single() })
                .SingleAsync(cancellationToken);
            if (await RefuseDeliveryAsync(conversation, target.Type, target.Provider, reply.Template, now, cancellationToken) is { } refusal)
            {
                return refusal;
            }
            var message = WriteReply(conversation, target.Type, target.Customer, reply, text!, now);
            beforeSave?.Invoke(message);
            return AgentActionResult.Done(conversation) with { Message = message };
        }, cancellationToken);
    }

    /// <summary>
    /// Starts a conversation from the business's side with its first message (on WhatsApp, outside any service window,
    /// so a template). Refused when the contact already has an open conversation: the result names that one.
    /// </summary>
    public async Task<AgentActionResult> StartAsync(OutboundConversation request, CancellationToken cancellationToken,
        Action<Conversation, Message>? beforeSave = null)
    {
        var (text, invalid) = await ValidateAsync(request.FirstMessage, cancellationToken);
        if (invalid is not null)
        {
            return invalid;
        }
        var channel = await db.Channels.AsNoTracking().Where(c => c.Id == request.ChannelId)
            .Select(c => new { c.Id, c.Type, c.Provider, c.WorkspaceId, c.AssistantId, c.Status }).FirstOrDefaultAsync(cancellationToken);
        if (channel is null)
        {
            return AgentActionResult.Invalid("channelId", AgentActionErrors.ChannelNotFound, "The channel is not one of this tenant's.");
        }
        if (channel.Type == ChannelTypes.Web)
        {
            return AgentActionResult.Invalid("channelId", AgentActionErrors.ChannelCannotStart, "A web widget conversation is started by the visitor.");
        }
        var tenantId = db.CurrentTenantId ?? throw new InvalidOperationException("Starting a conversation needs a tenant in scope.");
        var externalId = request.ExternalId?.Trim();
        if (request.ContactId is null && string.IsNullOrEmpty(externalId))
        {
            return AgentActionResult.Invalid("contact", AgentActionErrors.ContactRequired, "Name the contact: its id, or its id on the channel (externalId).");
        }

        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var now = Now();
            var contact = request.ContactId is { } contactId
                ? await db.Contacts.FirstOrDefaultAsync(k => k.Id == contactId && k.ChannelId == channel.Id, cancellationToken)
                : await db.Contacts.FirstOrDefaultAsync(k => k.ChannelId == channel.Id && k.ExternalId == externalId, cancellationToken);
            if (contact is null && request.ContactId is not null)
            {
                return AgentActionResult.Invalid("contactId", AgentActionErrors.ContactNotFound, "The contact is not one of this channel's.");
            }
            if (contact is null)
            {
                contact = new Contact { Id = Guid.CreateVersion7(now), TenantId = tenantId, ChannelId = channel.Id, ExternalId = externalId!, DisplayName = request.ContactName?.Trim(), CreatedAt = now };
                db.Contacts.Add(contact);
            }
            else if (await db.Conversations.AsNoTracking().Where(c => c.ContactId == contact.Id && c.Status == "open")
                .Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken) is { } open)
            {
                return AgentActionResult.Conflict(AgentActionErrors.ContactHasOpenConversation, "The contact already has an open conversation: write there.")
                    with { Conversation = await db.Conversations.AsNoTracking().SingleAsync(c => c.Id == open, cancellationToken) };
            }

            var conversation = Conversation.StartOutbound(tenantId, channel.WorkspaceId, channel.Id, contact.Id, channel.AssistantId, now);
            // No customer message yet: on WhatsApp the window is closed, so only a template may open the conversation.
            if (await RefuseDeliveryAsync(conversation, channel.Type, channel.Provider, request.FirstMessage.Template, now, cancellationToken) is { } refusal)
            {
                return refusal;
            }
            db.Conversations.Add(conversation);
            var message = WriteReply(conversation, channel.Type, contact.ExternalId, request.FirstMessage, text!, now);
            beforeSave?.Invoke(conversation, message);
            foreach (var @event in conversation.TakeEvents())
            {
                outbox.Add(@event);
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return AgentActionResult.Done(conversation) with { Message = message };
            }
            catch (DbUpdateException ex) when (attempt < MaxAttempts && ex.InnerException is PostgresException
                { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ux_conversations_open_contact" or "ux_contacts_channel_external" })
            {
                // A customer message or another start got there first: read again, and find the conversation it opened.
            }
        }
    }

    /// <summary>Takes the conversation over for <paramref name="agentId"/> (or gives it to them): handoff human, the assistant stops.</summary>
    public async Task<AgentActionResult> AssignAsync(Guid conversationId, Guid agentId, CancellationToken cancellationToken)
    {
        if (!await IsUserAsync(agentId, cancellationToken))
        {
            return AgentActionResult.Invalid("agentId", AgentActionErrors.AgentNotFound, "The agent is not a user of this tenant.");
        }
        return await ChangeAsync(conversationId, (conversation, now) =>
        {
            conversation.AssignAgent(agentId, now);
            return Task.FromResult(AgentActionResult.Done(conversation));
        }, cancellationToken);
    }

    /// <summary>Hands the conversation back to its assistant, which answers the next customer message.</summary>
    public Task<AgentActionResult> HandBackAsync(Guid conversationId, CancellationToken cancellationToken)
        => ChangeAsync(conversationId, (conversation, now) =>
        {
            if (conversation.AssistantId is null)
            {
                return Task.FromResult(AgentActionResult.Conflict(AgentActionErrors.NoAssistant, "The conversation has no assistant to hand it back to."));
            }
            conversation.HandBackToAssistant(now);
            return Task.FromResult(AgentActionResult.Done(conversation));
        }, cancellationToken);

    /// <summary>Closes the conversation; the customer's next message opens a new one. Closing a closed one changes nothing.</summary>
    public Task<AgentActionResult> CloseAsync(Guid conversationId, CancellationToken cancellationToken)
        => ChangeAsync(conversationId, (conversation, now) =>
        {
            conversation.MoveTo(ConversationState.Closed, now);
            return Task.FromResult(AgentActionResult.Done(conversation));
        }, cancellationToken);

    /// <summary>Reopens a closed conversation, unless the customer has written since and so has a newer open one.</summary>
    public Task<AgentActionResult> ReopenAsync(Guid conversationId, CancellationToken cancellationToken)
        => ChangeAsync(conversationId, (conversation, now) =>
        {
            if (conversation.State != ConversationState.Closed)
            {
                return Task.FromResult(conversation.State == ConversationState.Expired
                    ? AgentActionResult.Conflict(AgentActionErrors.InvalidTransition, "An expired conversation cannot be reopened.")
                    : AgentActionResult.Done(conversation));
            }
            conversation.MoveTo(ConversationState.Progress, now);
            return Task.FromResult(AgentActionResult.Done(conversation));
        }, cancellationToken);

    /// <summary>Adds an internal note, for the team only: it is never sent to the customer.</summary>
    public async Task<AgentActionResult> AddNoteAsync(Guid conversationId, Guid? authorId, string? text, CancellationToken cancellationToken)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return AgentActionResult.Invalid("text", AgentActionErrors.TextRequired, "The note needs a text.");
        }
        if (text.Length > ConversationNote.MaxLength)
        {
            return AgentActionResult.Invalid("text", AgentActionErrors.TextTooLong, $"The note is longer than {ConversationNote.MaxLength} characters.");
        }
        db.ChangeTracker.Clear();
        var conversation = await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
        if (conversation is null)
        {
            return AgentActionResult.NotFound();
        }
        var now = Now();
        var note = new ConversationNote
        {
            Id = Guid.CreateVersion7(now), TenantId = conversation.TenantId, ConversationId = conversation.Id, AuthorId = authorId, Text = text, CreatedAt = now,
        };
        db.ConversationNotes.Add(note);
        outbox.Add(new ConversationNoteAdded
        {
            TenantId = note.TenantId, ConversationId = note.ConversationId, NoteId = note.Id, AuthorId = authorId, CreatedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        return AgentActionResult.Done(conversation) with { Note = note };
    }

    /// <summary>
    /// Load, decide, save with the version check; when another writer got there first, read again and decide again
    /// (the decision may be different now, e.g. the conversation was closed meanwhile).
    /// </summary>
    private async Task<AgentActionResult> ChangeAsync(Guid conversationId, Func<Conversation, DateTimeOffset, Task<AgentActionResult>> decide,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var conversation = await db.Conversations.SingleOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
            if (conversation is null)
            {
                return AgentActionResult.NotFound();
            }
            AgentActionResult result;
            try
            {
                result = await decide(conversation, Now());
            }
            catch (ConversationTransitionException ex)
            {
                return AgentActionResult.Conflict(AgentActionErrors.InvalidTransition, ex.Message);
            }
            if (!result.Succeeded)
            {
                return result;
            }
            foreach (var @event in conversation.TakeEvents())
            {
                outbox.Add(@event);
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return result;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                // Changed since we read it (a reply, the lifecycle task, another agent): read again and decide again.
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ux_conversations_open_contact" })
            {
                db.ChangeTracker.Clear();
                return AgentActionResult.Conflict(AgentActionErrors.ContactHasOpenConversation,
                    "The contact has a newer open conversation: continue there.");
            }
        }
    }

    /// <summary>The channel's rules, checked before anything is stored: what the send would be refused for anyway.</summary>
    private async Task<AgentActionResult?> RefuseDeliveryAsync(Conversation conversation, string channelType, string? provider, ReplyTemplate? template,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (channelType == ChannelTypes.Instagram)
        {
            // Instagram's messaging window is 24 hours too, and it has no templates to reopen it: refused up front, as Meta would.
            return template is not null
                ? AgentActionResult.Invalid("template", AgentActionErrors.TemplateNotSupported, "Templates are sent on WhatsApp only.")
                : await LastCustomerMessageAtAsync(conversation.Id, cancellationToken) is var lastAt && ServiceWindow.IsOpen(lastAt, now)
                    ? null
                    : AgentActionResult.Conflict(AgentActionErrors.OutsideServiceWindow,
                        "The customer's last message is older than Instagram's 24-hour window: Instagram accepts no message now.");
        }
        if (channelType != ChannelTypes.WhatsApp)
        {
            return template is null ? null
                : AgentActionResult.Invalid("template", AgentActionErrors.TemplateNotSupported, "Templates are sent on WhatsApp only.");
        }
        if (template is not null)
        {
            // Twilio's templates are its separate Content API, which message.send does not speak.
            return provider == ChannelProviders.Twilio
                ? AgentActionResult.Invalid("template", AgentActionErrors.TemplateNotSupported, "Templates are not supported on a Twilio WhatsApp channel.")
                : null;
        }
        var lastFromCustomer = await LastCustomerMessageAtAsync(conversation.Id, cancellationToken);
        return ServiceWindow.IsOpen(lastFromCustomer, now)
            ? null
            : AgentActionResult.Conflict(AgentActionErrors.OutsideServiceWindow,
                "The customer's last message is older than WhatsApp's 24-hour window: only a template can be sent.");
    }

    private Task<DateTimeOffset?> LastCustomerMessageAtAsync(Guid conversationId, CancellationToken cancellationToken)
        => db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.Direction == MessageDirection.Inbound)
            .MaxAsync(m => (DateTimeOffset?)m.CreatedAt, cancellationToken);

    /// <summary>The reply's own checks, before any conversation is read: its text (or template) and its agent.</summary>
    private async Task<(string? Text, AgentActionResult? Invalid)> ValidateAsync(AgentReply reply, CancellationToken cancellationToken)
    {
        var text = reply.Text?.Trim();
        if (reply.Template is { } template)
        {
            if (string.IsNullOrWhiteSpace(template.Name) || string.IsNullOrWhiteSpace(template.Language))
            {
                return (null, AgentActionResult.Invalid("template", AgentActionErrors.TemplateInvalid, "A template needs its name and language (e.g. pt_BR)."));
            }
            // The CRM shows what went out; a template's own text lives at Meta, so its name stands in when none is given.
            text = string.IsNullOrEmpty(text) ? $"[{template.Name}]" : text;
        }
        if (string.IsNullOrEmpty(text))
        {
            return (null, AgentActionResult.Invalid("text", AgentActionErrors.TextRequired, "The message needs a text."));
        }
        if (text.Length > AgentReply.MaxTextLength)
        {
            return (null, AgentActionResult.Invalid("text", AgentActionErrors.TextTooLong, $"The message is longer than {AgentReply.MaxTextLength} characters."));
        }
        if (reply.AgentId is { } agentId && !await IsUserAsync(agentId, cancellationToken))
        {
            return (null, AgentActionResult.Invalid("agentId", AgentActionErrors.AgentNotFound, "The agent is not a user of this tenant."));
        }
        return (text, null);
    }

    /// <summary>
    /// The agent's message, its events and its way to the customer, added to the caller's unit of work; the conversation
    /// is the agent's from now on.
    /// </summary>
    private Message WriteReply(Conversation conversation, string channelTypeName, string customer, AgentReply reply, string text, DateTimeOffset now)
    {
        var message = new Message
        {
            Id = Guid.CreateVersion7(now),
            TenantId = conversation.TenantId,
            ConversationId = conversation.Id,
            ChannelId = conversation.ChannelId,
            Direction = MessageDirection.Outbound,
            Sender = MessageSenders.Agent,
            AgentId = reply.AgentId,
            Content = MessageContent.FromText(text),
            CreatedAt = now,
        };
        db.Messages.Add(message);
        var channelType = Enum.Parse<ChannelType>(channelTypeName, ignoreCase: true);
        outbox.Add(new MessageAdded
        {
            TenantId = message.TenantId, ConversationId = message.ConversationId, MessageId = message.Id, ChannelId = message.ChannelId,
            ChannelType = channelType, Direction = message.Direction, Content = message.Content, CreatedAt = message.CreatedAt,
        });
        if (channelType == ChannelType.Web)
        {
            // The widget's visitor is reached over the Gateway's live connection, the way the assistant's replies are.
            outbox.Add(new AiResponseGenerated
            {
                TenantId = message.TenantId, ConversationId = message.ConversationId, MessageId = message.Id, ChannelId = message.ChannelId,
                ChannelType = channelType, ExternalContactId = customer, Content = message.Content, Model = MessageSenders.Agent,
                CreatedAt = message.CreatedAt,
            });
        }
        else
        {
            message.DeliveryStatus = DeliveryStatuses.Queued;
            message.DeliveryUpdatedAt = now;
            var send = MessageSendTask.Create(message, reply.Template, now, outbox.CorrelationId);
            db.Tasks.Add(send);
            foreach (var @event in send.TakeEvents())
            {
                outbox.Add(@event);
            }
        }
        conversation.LastMessageAt = now;
        conversation.AgentReplied(reply.AgentId, now);
        return message;
    }

    private Task<bool> IsUserAsync(Guid userId, CancellationToken cancellationToken)
        => db.Users.AnyAsync(u => u.Id == userId, cancellationToken);

    /// <summary>PostgreSQL keeps microseconds; truncating here makes the events carry exactly the stored times.</summary>
    private DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }
}
