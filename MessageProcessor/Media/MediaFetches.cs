using System.Text.Json;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Tasks;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.ServiceDefaults.Correlation;

namespace SaasAssistants.MessageProcessor.Media;

/// <summary>
/// In the transaction that stores an inbound message: a pending message_media row and a <c>media.fetch</c> task for
/// its attachment, so the fetch is exactly as durable as the message and never runs for a message that was rolled back.
/// </summary>
public sealed class MediaFetches(SaasDbContext db, TimeProvider clock)
{
    public void StartFor(Message inbound)
    {
        if (KindOf(inbound.Content.Type) is not { } kind || SourceOf(inbound.Content) is not { } source)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var media = new MessageMedia
        {
            Id = Guid.CreateVersion7(),
            TenantId = inbound.TenantId,
            MessageId = inbound.Id,
            ChannelId = inbound.ChannelId,
            Kind = kind,
            Source = source,
            FileName = inbound.Content.Media?.FileName,
            ContentType = inbound.Content.Media?.MimeType,
            CreatedAt = now,
        };
        db.MessageMedia.Add(media);
        var task = TaskItem.Create(inbound.TenantId, MediaFetchProcessor.TaskType, JsonSerializer.Serialize(new { mediaId = media.Id }), now,
            correlationId: CorrelationContext.Current);
        task.Enqueue(now);
        db.Tasks.Add(task);
        foreach (var @event in task.TakeEvents())
        {
            db.AddIntegrationEvent(@event);
        }
    }

    private static string? KindOf(MessageContentType type) => type switch
    {
        MessageContentType.Image => "image",
        MessageContentType.Audio => "audio",
        MessageContentType.Video => "video",
        MessageContentType.Document => "document",
        MessageContentType.Sticker => "sticker",
        _ => null,
    };

    /// <summary>The Graph API's media id when there is one (WhatsApp), else the URL (Twilio, Instagram).</summary>
    private static string? SourceOf(MessageContent content) =>
        content.Media?.Id is { Length: > 0 } id ? id : content.Media?.Url ?? content.MediaUrl;
}
