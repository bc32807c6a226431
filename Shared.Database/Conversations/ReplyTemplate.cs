namespace SaasAssistants.Database.Conversations;

/// <summary>A pre-approved WhatsApp template: the only message a business may send outside the 24-hour window.</summary>
/// <param name="Language">Meta's language code, e.g. pt_BR.</param>
public sealed record ReplyTemplate(string Name, string Language, IReadOnlyList<string>? Parameters = null);
