namespace SaasAssistants.ChannelSimulator.Player;

/// <summary>
/// What the developer, playing a customer, sends: text, a file, or a location (WhatsApp); on Instagram also an image by
/// URL, since Instagram attachments carry a URL.
/// </summary>
public sealed record PlayerMessage(string? From, string? Name, string? Text, string? ImageUrl, double? Latitude, double? Longitude,
    PlayerFile? File = null);

/// <summary>
/// A file the customer sends (<c>kind</c>: image, audio, video, document, or sticker on WhatsApp), as base64. The
/// simulator keeps it under a media id and serves it as Meta does: on WhatsApp from its Graph media endpoints (id, then
/// URL, with the channel's token), on Instagram at the attachment's URL.
/// </summary>
public sealed record PlayerFile(string Kind, string ContentType, string Base64, string? FileName = null);
