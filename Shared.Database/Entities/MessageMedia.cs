namespace SaasAssistants.Database.Entities;

/// <summary>
/// One attachment of a customer's message (image, audio, video, document, sticker): created pending with the message,
/// completed by the <c>media.fetch</c> task. The bytes are behind <see cref="Media.IMediaStorage"/>; this row is what
/// the CRM and the API list.
/// </summary>
public sealed class MessageMedia : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid MessageId { get; set; }
    public Guid ChannelId { get; set; }

    /// <summary>image, audio, video, document or sticker.</summary>
    public required string Kind { get; set; }

    /// <summary>Where the channel keeps it: the Graph API's media id, or a URL (Twilio's MediaUrlN, Instagram's CDN).</summary>
    public required string Source { get; set; }

    public string Status { get; set; } = MediaStatuses.Pending;
    public string? ContentType { get; set; }
    public long? SizeBytes { get; set; }

    /// <summary>Hex SHA-256 of the stored bytes.</summary>
    public string? Sha256 { get; set; }
    public string? FileName { get; set; }

    /// <summary>Why it could not be stored (too_large, unsupported_content_type, the channel's error), when failed.</summary>
    public string? Error { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StoredAt { get; set; }
}

public static class MediaStatuses
{
    public const string Pending = "pending";
    public const string Stored = "stored";
    public const string Failed = "failed";
}
