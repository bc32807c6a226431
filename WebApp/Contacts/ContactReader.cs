using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.WebApp.Assistants;

namespace SaasAssistants.WebApp.Contacts;

/// <summary>The contact pages' reads, through the tenant-filtered context: another tenant's contact is not found.</summary>
public sealed class ContactReader(SaasDbContext db)
{
    public const string SubjectType = "contact";

    /// <summary>One page, newest contacts first; <c>HasMore</c> when another page follows.</summary>
    public async Task<(IReadOnlyList<ContactListItem> Items, bool HasMore)> ListAsync(ContactFilter filter, CancellationToken cancellationToken)
    {
        var contacts = db.Contacts.ExceptConsole();
        if (filter.Search is { } search)
        {
            var pattern = "%" + search.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
            contacts = contacts.Where(c => EF.Functions.ILike(c.DisplayName ?? "", pattern) || EF.Functions.ILike(c.ExternalId, pattern)
                || EF.Functions.ILike(c.Email ?? "", pattern) || EF.Functions.ILike(c.Phone ?? "", pattern));
        }
        var page = await contacts.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Skip((filter.Page - 1) * ContactFilter.PageSize).Take(ContactFilter.PageSize + 1)
            .Select(c => new ContactListItem(c.Id, c.DisplayName, c.ExternalId,
                db.Channels.Where(ch => ch.Id == c.ChannelId).Select(ch => ch.Type).First(), c.Email, c.Phone,
                db.Conversations.Count(v => v.ContactId == c.Id),
                db.Conversations.Where(v => v.ContactId == c.Id).Max(v => (DateTimeOffset?)v.LastMessageAt),
                c.ErasedAt != null))
            .ToListAsync(cancellationToken);
        return (page.Take(ContactFilter.PageSize).ToList(), page.Count > ContactFilter.PageSize);
    }

    public Task<ContactDetails?> FindAsync(Guid contactId, CancellationToken cancellationToken)
        => db.Contacts.Where(c => c.Id == contactId)
            .Select(c => new ContactDetails(c.Id, c.ChannelId,
                db.Channels.Where(ch => ch.Id == c.ChannelId).Select(ch => ch.Type).First(),
                db.Channels.Where(ch => ch.Id == c.ChannelId).Select(ch => ch.Name).First(),
                c.ExternalId, c.DisplayName, c.Email, c.Phone, c.Notes, c.Tags, c.CreatedAt, c.ErasedAt))
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The contact's conversations on every channel: a contact row is one person on one channel, so the same person's
    /// rows on the other channels are found by the email or phone the team recorded (a WhatsApp contact's id is its phone).
    /// </summary>
    public async Task<IReadOnlyList<ContactConversation>> ListConversationsAsync(ContactDetails contact, CancellationToken cancellationToken)
    {
        var email = string.IsNullOrWhiteSpace(contact.Email) ? null : contact.Email.ToLowerInvariant();
        var phone = PhoneDigits(contact.Phone) ?? (contact.ChannelType == ChannelTypes.WhatsApp ? PhoneDigits(contact.ExternalId) : null);
        var people = db.Contacts.Where(k => k.ErasedAt == null || k.Id == contact.Id)
            .Where(k => k.Id == contact.Id
                || (email != null && k.Email != null && k.Email.ToLower() == email)
                || (phone != null && (k.Phone == phone || k.Phone == "+" + phone || k.ExternalId == phone)))
            .Select(k => k.Id);
        return await db.Conversations.Where(v => people.Contains(v.ContactId))
            .OrderByDescending(v => v.LastMessageAt)
            .Select(v => new ContactConversation(v.Id, v.ContactId, v.Channel!.Type, v.Channel.Name, v.State,
                db.Messages.Count(m => m.ConversationId == v.Id), v.CreatedAt, v.LastMessageAt))
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(Guid contactId, CancellationToken cancellationToken)
        => await db.AuditEvents.Where(a => a.SubjectType == SubjectType && a.SubjectId == contactId)
            .OrderByDescending(a => a.OccurredAt)
            .Select(a => new AuditEntry(a.ActorName, a.Action, a.Details, a.OccurredAt))
            .ToListAsync(cancellationToken);

    /// <summary>Only the digits of a phone number, or null when it has too few to be one.</summary>
    public static string? PhoneDigits(string? phone)
    {
        var digits = new string((phone ?? "").Where(char.IsAsciiDigit).ToArray());
        return digits.Length >= 8 ? digits : null;
    }
}
