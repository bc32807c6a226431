namespace SaasAssistants.ChannelSimulator.Player;

/// <summary>What the developer, playing a customer, sends: text, an image (by URL), a file, or a location.</summary>
public sealed record PlayerMessage(string? From, string? Name, string? Text, string? ImageUrl, double? Latitude, double? Longitude,
    PlayerFile? File = null);

/// <summary>
/// A file the customer sends on WhatsApp (<c>kind</c>: image, audio, video, document or sticker), as base64. The
/// simulator keeps it under a media id and serves it from its Graph media endpoints, as Meta does.
/// </summary>
public sealed record PlayerFile(string Kind, string ContentType, string Base64, string? FileName = null);
