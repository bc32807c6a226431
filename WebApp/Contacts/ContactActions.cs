using System.Net.Mail;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Contracts;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.WebApp.Account;

namespace SaasAssistants.WebApp.Contacts;

/// <summary>
/// Changes to a contact: editing, and the LGPD rights of the person behind it, export and erasure. Each writes its
/// audit row (who, what, when; figures, never the personal data itself) in the same transaction as the change.
/// </summary>
public sealed class ContactActions(SaasDbContext db, TimeProvider clock, ILogger<ContactActions> logger)
{
    /// <summary>What an erased message holds: its type is kept (the conversation still reads as a conversation), no content.</summary>
    private static readonly string ErasedContent = JsonSerializer.Serialize(new MessageContent(MessageContentType.Text), ContractJson.Options);

    /// <returns>null when saved, else the code of the invalid field (a resource key: Contact.Error.{code}); false when not found.</returns>
    public async Task<(bool Found, string? Error)> UpdateAsync(Guid contactId, ContactEdit edit, ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == contactId, cancellationToken);
        if (contact is null)
        {
            return (false, null);
        }
        if (contact.ErasedAt is not null)
        {
            return (true, "erased");
        }
        var email = Blank(edit.Email);
        if (email is not null && (!MailAddress.TryCreate(email, out var address) || address.Address != email))
        {
            return (true, "email");
        }
        var phone = Blank(edit.Phone);
        if (phone is not null)
        {
            if (ContactReader.PhoneDigits(phone) is not { Length: <= 15 } digits)
            {
                return (true, "phone");
            }
            phone = "+" + digits; // E.164, the form WhatsApp's ids take, so the same person is found across channels
        }
        var tags = edit.TagList;
        if ((edit.DisplayName?.Length ?? 0) > ContactEdit.MaxNameLength || (edit.Notes?.Length ?? 0) > ContactEdit.MaxNotesLength
            || tags.Count > ContactEdit.MaxTags || tags.Any(t => t.Length > ContactEdit.MaxTagLength))
        {
            return (true, "too_long");
        }

        var changed = new List<string>();
        Set(contact.DisplayName, Blank(edit.DisplayName), value => contact.DisplayName = value, "name");
        Set(contact.Email, email, value => contact.Email = value, "email");
        Set(contact.Phone, phone, value => contact.Phone = value, "phone");
        Set(contact.Notes, Blank(edit.Notes), value => contact.Notes = value, "notes");
        if (!contact.Tags.SequenceEqual(tags))
        {
            contact.Tags = [.. tags];
            changed.Add("tags");
        }
        if (changed.Count == 0)
        {
            return (true, null);
        }
        Audit(actor, AuditActions.ContactUpdated, contactId, new { fields = changed });
        await db.SaveChangesAsync(cancellationToken);
        return (true, null);

        void Set(string? current, string? value, Action<string?> assign, string field)
        {
            if (current != value)
            {
                assign(value);
                changed.Add(field);
            }
        }
    }

    public async Task<ContactExport?> ExportAsync(Guid contactId, ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == contactId, cancellationToken);
        if (contact is null)
        {
            return null;
        }
        var channels = await db.Channels.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Type, cancellationToken);
        var conversations = await db.Conversations.AsNoTracking().Where(c => c.ContactId == contactId).OrderBy(c => c.CreatedAt)
            .ToListAsync(cancellationToken);
        var conversationIds = conversations.Select(c => c.Id).ToList();
        var messages = await db.Messages.AsNoTracking().Where(m => conversationIds.Contains(m.ConversationId))
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync(cancellationToken);
        var messageIds = messages.Select(m => m.Id).ToList();
        var notes = (await db.ConversationNotes.AsNoTracking().Where(n => conversationIds.Contains(n.ConversationId)).OrderBy(n => n.CreatedAt)
            .ToListAsync(cancellationToken)).ToLookup(n => n.ConversationId);
        var media = (await db.MessageMedia.AsNoTracking().Where(m => messageIds.Contains(m.MessageId)).OrderBy(m => m.CreatedAt)
            .ToListAsync(cancellationToken)).ToLookup(m => m.MessageId);

        var export = new ContactExport(clock.GetUtcNow(),
            new ContactExport.ContactData(contact.Id, channels.GetValueOrDefault(contact.ChannelId, ""), contact.ExternalId, contact.DisplayName,
                contact.Email, contact.Phone, contact.Notes, contact.Tags, contact.Metadata, contact.CreatedAt, contact.ErasedAt),
            conversations.Select(c => new ContactExport.ConversationData(c.Id, channels.GetValueOrDefault(c.ChannelId, ""), c.State, c.CreatedAt,
                c.LastMessageAt, messages.Where(m => m.ConversationId == c.Id).Select(m => new ContactExport.MessageData(m.Id,
                    m.Direction == MessageDirection.Inbound ? "inbound" : "outbound", m.Sender, m.Content, m.DeliveryStatus, m.CreatedAt,
                    media[m.Id].Select(f => new ContactExport.MediaData(f.Id, f.Kind, f.Status, f.ContentType, f.SizeBytes, f.Sha256, f.FileName))
                        .ToList())).ToList(),
                notes[c.Id].Select(n => new ContactExport.NoteData(n.Text, n.CreatedAt)).ToList())).ToList());

        Audit(actor, AuditActions.ContactExported, contactId, new { conversations = conversations.Count, messages = messages.Count, media = media.Sum(m => m.Count()) });
        await db.SaveChangesAsync(cancellationToken);
        return export;
    }

    /// <summary>
    /// LGPD erasure: the contact keeps its row (its conversations and the audit trail point at it) with nothing personal
    /// left; its messages lose their content; its media rows and stored bytes are deleted; the conversations' summaries
    /// (written from the messages), the AI tasks' outputs for its messages and the team's notes on its conversations are cleared. One transaction: all of it or none. A new message from the same person
    /// later starts a new contact, since the channel id is erased too.
    /// </summary>
    /// <returns>false when not found.</returns>
    public async Task<bool> EraseAsync(Guid contactId, ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == contactId, cancellationToken);
        if (contact is null)
        {
            return false;
        }
        if (contact.ErasedAt is not null)
        {
            return true;
        }

        var tenantId = contact.TenantId;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var conversations = db.Conversations.Where(c => c.ContactId == contactId).Select(c => c.Id);
        var messages = db.Messages.Where(m => conversations.Contains(m.ConversationId)).Select(m => m.Id);
        var media = db.MessageMedia.Where(m => messages.Contains(m.MessageId)).Select(m => m.Id);
        var bytesDeleted = await db.Database.ExecuteSqlInterpolatedAsync(
            $"DELETE FROM media_contents WHERE tenant_id = {tenantId} AND media_id IN (SELECT m.id FROM message_media m JOIN messages g ON g.id = m.message_id JOIN conversations c ON c.id = g.conversation_id WHERE c.tenant_id = {tenantId} AND c.contact_id = {contactId})",
            cancellationToken);
        var mediaDeleted = await db.MessageMedia.Where(m => media.Contains(m.Id)).ExecuteDeleteAsync(cancellationToken);
        var messagesErased = await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE messages SET content = {ErasedContent}::jsonb WHERE tenant_id = {tenantId} AND conversation_id IN (SELECT id FROM conversations WHERE tenant_id = {tenantId} AND contact_id = {contactId})",
            cancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE conversations SET summary = NULL WHERE tenant_id = {tenantId} AND contact_id = {contactId}", cancellationToken);
        // The AI tasks' outputs repeat the replies' text; the team's notes on the conversations are about this person too.
        var artifactsErased = await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE task_artifacts SET content = CASE kind WHEN 'json' THEN '{{}}' ELSE '' END WHERE tenant_id = {tenantId} AND kind IN ('text', 'json') AND task_id IN (SELECT g.task_id FROM messages g JOIN conversations c ON c.id = g.conversation_id WHERE c.tenant_id = {tenantId} AND c.contact_id = {contactId} AND g.task_id IS NOT NULL)",
            cancellationToken);
        var notesDeleted = await db.ConversationNotes.Where(n => conversations.Contains(n.ConversationId)).ExecuteDeleteAsync(cancellationToken);

        contact.DisplayName = null;
        contact.ExternalId = $"erased:{contact.Id}";
        contact.Email = null;
        contact.Phone = null;
        contact.Notes = null;
        contact.Tags = [];
        contact.Metadata = "{}";
        contact.ErasedAt = clock.GetUtcNow();
        Audit(actor, AuditActions.ContactErased, contactId, new
        {
            messages = messagesErased, media = mediaDeleted, files = bytesDeleted, notes = notesDeleted, artifacts = artifactsErased,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Contact {ContactId} erased: {Messages} messages, {Media} media", contactId, messagesErased, mediaDeleted);
        return true;
    }

    private void Audit(ClaimsPrincipal actor, string action, Guid contactId, object details)
        => db.AuditEvents.Add(new AuditEvent
        {
            Id = Guid.CreateVersion7(),
            ActorId = actor.GetUserId(),
            ActorName = actor.Identity?.Name ?? "",
            Action = action,
            SubjectType = ContactReader.SubjectType,
            SubjectId = contactId,
            Details = JsonSerializer.Serialize(details),
            OccurredAt = clock.GetUtcNow(),
        });

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
