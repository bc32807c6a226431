namespace SaasAssistants.WebApp.Conversations;

/// <summary>An internal note as the conversation page shows it.</summary>
public sealed record NoteView(Guid Id, string Text, string? AuthorName, DateTimeOffset CreatedAt);
