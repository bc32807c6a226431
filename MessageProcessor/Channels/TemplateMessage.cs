namespace SaasAssistants.MessageProcessor.Channels;

/// <summary>A pre-approved WhatsApp template: the only kind of message allowed outside the 24-hour window.</summary>
public sealed record TemplateMessage(string Name, string Language, IReadOnlyList<string> BodyParameters);
