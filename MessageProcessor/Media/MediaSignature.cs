namespace SaasAssistants.MessageProcessor.Media;

/// <summary>
/// The content-type check beyond the declared header: for images, whose bytes a provider may pass to a model or a
/// browser renders, the file must start as its type does. Other types are taken as declared.
/// </summary>
public static class MediaSignature
{
    public static bool Matches(string contentType, ReadOnlySpan<byte> content) => contentType switch
    {
        "image/jpeg" => content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]),
        "image/png" => content.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        "image/gif" => content.StartsWith("GIF8"u8),
        "image/webp" => content.Length >= 12 && content.StartsWith("RIFF"u8) && content[8..12].SequenceEqual("WEBP"u8),
        _ => true,
    };
}
