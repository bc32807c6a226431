namespace SaasAssistants.Contracts.Messages;

/// <summary>
/// The internal message protocol: every channel's payload is converted to this before it is stored,
/// so nothing downstream of the Gateway knows a channel's wire format.
/// </summary>
public sealed record MessageContent(MessageContentType Type, string? Text = null, string? MediaUrl = null)
{
    public static MessageContent FromText(string text) => new(MessageContentType.Text, text);
}

public enum MessageContentType
{
    Text,
    Image,
    Audio,
    Document,
    Unsupported,
}
