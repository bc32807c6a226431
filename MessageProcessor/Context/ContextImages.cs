using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.MessageProcessor.Context;

/// <summary>
/// Which customers' images go to the model as bytes, and what each one costs in the token budget.
/// </summary>
public static class ContextImages
{
    /// <summary>
    /// Only the newest few images of a context carry their bytes; older ones become a marker. Each image costs up to
    /// <see cref="TokensPerImage"/> on every reply that includes it, and the latest photos are what a reply is about.
    /// </summary>
    public const int MaxWithBytes = 3;

    /// <summary>Anthropic's per-image limit for the API (OpenAI's is larger): a bigger image goes as a marker.</summary>
    public const long MaxBytes = 5 * 1024 * 1024;

    /// <summary>
    /// What one image is counted as in the budget: a ceiling, not a measurement. Anthropic charges about
    /// width × height / 750 tokens and first scales an image down to about 1.15 megapixels, so at most ~1,600;
    /// OpenAI's high detail is 85 + 170 per 512-pixel tile of the scaled image, at most ~1,100. Counting the ceiling
    /// keeps a context with images within its budget whatever the photos' sizes.
    /// </summary>
    public const int TokensPerImage = 1600;

    /// <summary>The formats both OpenAI and Anthropic accept as image input.</summary>
    private static readonly HashSet<string> AcceptedTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "image/jpeg", "image/png", "image/webp", "image/gif",
    };

    /// <summary>Whether the message's stored attachment can go to a model as an image.</summary>
    public static bool CanSend(MessageContentType type, MediaFacts? media) =>
        type is MessageContentType.Image or MessageContentType.Sticker
        && media is { Status: MediaStatuses.Stored, ContentType: { } contentType, SizeBytes: { } size }
        && AcceptedTypes.Contains(MediaType(contentType)) && size is > 0 and <= MaxBytes;

    /// <summary>The media type without parameters ("image/png; charset=…" is image/png), as the providers want it.</summary>
    public static string MediaType(string contentType) => contentType.Split(';', 2)[0].Trim().ToLowerInvariant();
}
