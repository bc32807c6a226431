using System.Globalization;
using Microsoft.Extensions.AI;
using SaasAssistants.Contracts.Messages;

namespace SaasAssistants.MessageProcessor.Context;

/// <summary>
/// The short text that stands in a turn for what the model cannot see: an attachment without bytes (audio, video,
/// a document, an image not stored yet, failed or too large, an older image beyond the newest few), a location, a
/// shared contact. Without it such a message would be an empty turn and the model would not know the customer sent
/// anything. All the wording lives here. Markers are English, like the rest of our instructions to the model; the
/// customer's own words (the caption) go next to them unchanged.
/// </summary>
public static class MediaMarkers
{
    private const string ImageNotShown = "an image (not shown here)";

    // Marks a TextContent as ours rather than the customer's: the built-in responder matches and detects language on
    // the customer's words only, so a marker must not look like something they wrote.
    private const string MarkerProperty = "saasassistants.media_marker";

    /// <summary>The marker for a message whose content the turn cannot carry, or null for one that is plain text.</summary>
    public static string? For(MessageContent content) => content.Type switch
    {
        MessageContentType.Image => Sent(ImageNotShown, content.Media?.FileName),
        MessageContentType.Sticker => "[The customer sent a sticker]",
        MessageContentType.Audio => Sent(content.Media?.Voice == true ? "a voice message" : "an audio message", content.Media?.FileName),
        MessageContentType.Video => Sent("a video", content.Media?.FileName),
        MessageContentType.Document => Sent("a document", content.Media?.FileName),
        MessageContentType.Location when content.Location is { } location => Location(location),
        MessageContentType.Contacts when content.Contacts is { Count: > 0 } contacts =>
            "[The customer shared a contact: " + string.Join("; ", contacts.Select(Contact)) + "]",
        MessageContentType.Share => content.MediaUrl is { Length: > 0 } url ? $"[The customer shared a post: {url}]" : "[The customer shared a post]",
        MessageContentType.StoryMention => "[The customer mentioned the business in their story]",
        MessageContentType.Reaction => content.Emoji is { Length: > 0 } emoji ? $"[The customer reacted with {emoji}]" : "[The customer removed a reaction]",
        MessageContentType.Unsupported => "[The customer sent a kind of message this channel cannot show]",
        _ => null,
    };

    /// <summary>The marker for an image the turn had, for a model that takes no images.</summary>
    public static string Image { get; } = Sent(ImageNotShown, null);

    /// <summary>A marker as a turn's content part, tagged so <see cref="IsMarker"/> tells it from the customer's words.</summary>
    public static TextContent Content(string marker) => new(marker) { AdditionalProperties = new() { [MarkerProperty] = true } };

    public static bool IsMarker(AIContent content) => content.AdditionalProperties?.ContainsKey(MarkerProperty) == true;

    /// <summary>The customer's own words in a turn: its text without our markers.</summary>
    public static string CustomerText(ChatMessage message) =>
        string.Join(' ', message.Contents.OfType<TextContent>().Where(c => !IsMarker(c)).Select(c => c.Text));

    private static string Sent(string what, string? fileName) =>
        fileName is { Length: > 0 } ? $"[The customer sent {what}: {fileName}]" : $"[The customer sent {what}]";

    private static string Location(LocationContent location)
    {
        var coordinates = string.Create(CultureInfo.InvariantCulture, $"{location.Latitude}, {location.Longitude}");
        var place = string.Join(", ", new[] { location.Name, location.Address }.Where(p => !string.IsNullOrWhiteSpace(p)));
        return place.Length > 0 ? $"[The customer shared a location: {place} ({coordinates})]" : $"[The customer shared a location: {coordinates}]";
    }

    private static string Contact(SharedContact contact) =>
        string.Join(' ', new[] { contact.Name, contact.Phones.Count > 0 ? $"({string.Join(", ", contact.Phones)})" : null }
            .Where(p => !string.IsNullOrWhiteSpace(p)));
}
