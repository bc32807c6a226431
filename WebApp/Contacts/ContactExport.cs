using SaasAssistants.Contracts.Messages;

namespace SaasAssistants.WebApp.Contacts;

/// <summary>
/// Everything the workspace holds about one contact (LGPD art. 18's access and portability): the contact, its
/// conversations with the team's notes, their messages with their content as stored, and its media files as references (the bytes stay
/// behind the CRM's sign-in; each reference names its id, type, size and SHA-256).
/// </summary>
public sealed record ContactExport(
    DateTimeOffset ExportedAt,
    ContactExport.ContactData Contact,
    IReadOnlyList<ContactExport.ConversationData> Conversations)
{
    public sealed record ContactData(Guid Id, string Channel, string ExternalId, string? DisplayName, string? Email, string? Phone,
        string? Notes, IReadOnlyList<string> Tags, string Metadata, DateTimeOffset CreatedAt, DateTimeOffset? ErasedAt);

    public sealed record ConversationData(Guid Id, string Channel, string State, DateTimeOffset CreatedAt, DateTimeOffset LastMessageAt,
        IReadOnlyList<MessageData> Messages, IReadOnlyList<NoteData> Notes);

    /// <summary>The team's internal notes on the conversation: data about the person, so they are part of the export.</summary>
    public sealed record NoteData(string Text, DateTimeOffset CreatedAt);

    public sealed record MessageData(Guid Id, string Direction, string Sender, MessageContent Content, string? DeliveryStatus,
        DateTimeOffset CreatedAt, IReadOnlyList<MediaData> Media);

    public sealed record MediaData(Guid Id, string Kind, string Status, string? ContentType, long? SizeBytes, string? Sha256, string? FileName);
}
