namespace SaasAssistants.Contracts.Messages;

/// <summary>
/// The internal message protocol: every channel's payload is converted to this before it is stored,
/// so nothing downstream of the Gateway knows a channel's wire format. <see cref="Text"/> is the body or caption;
/// the other parts are set only for the types that carry them.
/// </summary>
public sealed record MessageContent(MessageContentType Type, string? Text = null, string? MediaUrl = null)
{
    /// <summary>Image, audio, video, document, sticker: the file as the channel announced it (fetched later by id or URL).</summary>
    public MediaReference? Media { get; init; }

    public LocationContent? Location { get; init; }

    /// <summary>Contact cards the customer shared.</summary>
    public IReadOnlyList<SharedContact>? Contacts { get; init; }

    /// <summary>The option the customer picked (button, list row, quick reply, postback): its id/payload; the title is <see cref="Text"/>.</summary>
    public string? ChoiceId { get; init; }

    /// <summary>The channel's id of the message this one quotes, reacts to, edits or deletes.</summary>
    public string? ReferencedMessageId { get; init; }

    /// <summary>For a reaction: the emoji; null when the customer removed their reaction.</summary>
    public string? Emoji { get; init; }

    /// <summary>Why the content could not be represented (the channel's own error, for an unsupported message).</summary>
    public string? UnsupportedReason { get; init; }

    public static MessageContent FromText(string text) => new(MessageContentType.Text, text);
}

/// <summary>A file attached to a message: the channel's media id (WhatsApp) and/or a URL (Instagram, Twilio).</summary>
public sealed record MediaReference(string? Id, string? MimeType, string? FileName = null, string? Sha256 = null, string? Url = null)
{
    /// <summary>WhatsApp marks a voice note (recorded in the app) apart from an audio file.</summary>
    public bool Voice { get; init; }
}

public sealed record LocationContent(double Latitude, double Longitude, string? Name = null, string? Address = null, string? Url = null);

public sealed record SharedContact(string? Name, IReadOnlyList<string> Phones);
