using System.Text.Json.Serialization;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.PublicApi.Conversations;

/// <summary>
/// A file a customer sent with a message, as we keep it: media.fetch downloads it from the channel after the message is
/// stored (the channel's own links need its token and expire), so it may still be pending.
/// </summary>
/// <param name="Id">The attachment's id.</param>
/// <param name="Kind">image, audio, video, document or sticker.</param>
/// <param name="Status">pending (not downloaded yet), stored, or failed (see error; it will not be retried).</param>
/// <param name="ContentType">The stored file's type, checked against its bytes; null until stored.</param>
/// <param name="SizeBytes">The stored file's size; null until stored.</param>
/// <param name="Sha256">Hex SHA-256 of the stored bytes; null until stored.</param>
/// <param name="FileName">The name the customer's file had, when the channel gave one.</param>
/// <param name="Error">For failed: why (too_large, unsupported_content_type, content_mismatch, host_not_allowed, the channel's error).</param>
/// <param name="Url">For stored: where to download it, with the same API key (conversations:read).</param>
public sealed record AttachmentResponse(
    Guid Id,
    string Kind,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ContentType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? SizeBytes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Sha256,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? FileName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Url)
{
    public static AttachmentResponse From(MessageMedia media, Guid conversationId)
        => new(media.Id, media.Kind, media.Status, media.ContentType, media.SizeBytes, media.Sha256, media.FileName, media.Error,
            media.Status == MediaStatuses.Stored ? $"/api/v2/conversations/{conversationId}/attachments/{media.Id}" : null);
}
