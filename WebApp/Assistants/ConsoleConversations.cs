using SaasAssistants.Database.Entities;

namespace SaasAssistants.WebApp.Assistants;

/// <summary>
/// The "try it" console's conversations are a manager's tests, not customers': the agents' conversation list (its
/// filters, search, paging and live catch-up) and the contacts list leave them out. The console reads its own through
/// <see cref="AssistantConsole"/>. They are known by their contact, which only the console creates: its external id
/// starts with <see cref="ContactPrefix"/>, which no channel issues (widget sessions are "ws_…", WhatsApp ids are phone
/// numbers, Instagram's and Twilio's are theirs).
/// </summary>
public static class ConsoleConversations
{
    public const string ContactPrefix = "console-";

    public static IQueryable<Conversation> ExceptConsole(this IQueryable<Conversation> conversations)
        => conversations.Where(c => !c.Contact!.ExternalId.StartsWith(ContactPrefix));

    public static IQueryable<Contact> ExceptConsole(this IQueryable<Contact> contacts)
        => contacts.Where(c => !c.ExternalId.StartsWith(ContactPrefix));

    public static string ContactKey(Guid userId, Guid assistantId) => $"{ContactPrefix}{userId:N}-{assistantId:N}";
}
