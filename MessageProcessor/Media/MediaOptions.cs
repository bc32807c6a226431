namespace SaasAssistants.MessageProcessor.Media;

/// <summary>Configuration section <c>Media</c>: what inbound media is fetched and kept.</summary>
public sealed class MediaOptions
{
    public const string SectionName = "Media";

    /// <summary>The largest file kept: WhatsApp's own limit for audio and video (16 MB); bigger documents fail with too_large.</summary>
    public long MaxBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>The media types kept (what WhatsApp and Instagram deliver); anything else fails with unsupported_content_type.</summary>
    public List<string> AllowedContentTypes { get; set; } = [];

    public IReadOnlyList<string> EffectiveContentTypes => AllowedContentTypes.Count > 0 ? AllowedContentTypes : DefaultContentTypes;

    /// <summary>
    /// Hosts media may be downloaded from besides <see cref="DefaultAllowedHosts"/> and the configured Graph and Twilio
    /// base URLs' hosts: a name (<c>localhost</c>, trusted even on a private network, e.g. the channel simulator in
    /// development) or <c>*.domain</c> for its subdomains (public addresses only).
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>
    /// Where Meta and Twilio keep customers' media (public addresses only): the Graph API; WhatsApp's media URLs and
    /// Instagram's attachment URLs on lookaside.fbsbx.com (<c>/whatsapp_business/attachments</c>,
    /// <c>/ig_messaging_cdn</c>) or on Meta's CDNs (fbcdn.net, cdninstagram.com); Twilio's MediaUrlN on
    /// api.twilio.com, which redirects to its media CDN (mms.twiliocdn.com).
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultAllowedHosts =
    [
        "graph.facebook.com", "lookaside.fbsbx.com", "*.fbcdn.net", "*.cdninstagram.com",
        "api.twilio.com", "*.twiliocdn.com",
    ];

    /// <summary>WhatsApp Cloud API's supported media types (developers.facebook.com, "Media": supported types).</summary>
    public static readonly IReadOnlyList<string> DefaultContentTypes =
    [
        "image/jpeg", "image/png", "image/webp", "image/gif",
        "audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg",
        "video/mp4", "video/3gpp",
        "text/plain", "application/pdf", "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ];
}
