using SaasAssistants.Database.Entities;

namespace SaasAssistants.Database.Media;

/// <summary>
/// The name a stored file downloads under: the customer's own when the channel sent one (WhatsApp documents), else its
/// kind and id with the usual extension of its type, so that a voice note or a photo opens with a double click.
/// </summary>
public static class MediaFileNames
{
    // The types the channels send (WhatsApp Cloud API's supported media). ASP.NET's FileExtensionContentTypeProvider maps
    // the other way, and inverted it offers .jpe for image/jpeg and .asm for text/plain.
    private static readonly Dictionary<string, string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/jpeg"] = ".jpg", ["image/png"] = ".png", ["image/webp"] = ".webp", ["image/gif"] = ".gif",
        ["audio/aac"] = ".aac", ["audio/amr"] = ".amr", ["audio/mpeg"] = ".mp3", ["audio/mp4"] = ".m4a", ["audio/ogg"] = ".ogg",
        ["video/mp4"] = ".mp4", ["video/3gpp"] = ".3gp",
        ["text/plain"] = ".txt", ["application/pdf"] = ".pdf",
        ["application/msword"] = ".doc", ["application/vnd.ms-excel"] = ".xls", ["application/vnd.ms-powerpoint"] = ".ppt",
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] = ".docx",
        ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = ".xlsx",
        ["application/vnd.openxmlformats-officedocument.presentationml.presentation"] = ".pptx",
    };

    public static string DownloadName(MessageMedia media)
    {
        if (media.FileName is { Length: > 0 } own)
        {
            return own;
        }

        // "audio/ogg; codecs=opus" is an Ogg file all the same.
        var type = media.ContentType?.Split(';')[0].Trim();
        return $"{media.Kind}-{media.Id}{(type is not null && Extensions.TryGetValue(type, out var extension) ? extension : string.Empty)}";
    }
}
