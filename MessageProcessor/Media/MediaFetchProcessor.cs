using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Media;
using SaasAssistants.Database.Secrets;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.MessageProcessor.Media;

/// <summary>
/// <c>media.fetch</c>: downloads one attachment of a customer's message from its channel (<see cref="MediaDownloader"/>)
/// and stores it (<see cref="IMediaStorage"/>), then marks the message_media row stored with its type, size and hash
/// and queues <see cref="MessageMediaStored"/> for the CRM, in one transaction. A row already stored is left alone (a
/// retried task does nothing twice). Too large, a type not kept, or bytes that do not match their type fail at once; an
/// unreachable source is retried, and its last attempt marks the row failed with the reason.
/// </summary>
public sealed class MediaFetchProcessor(SecretProtector secrets, TimeProvider time) : ITaskProcessor
{
    public const string TaskType = "media.fetch";

    public string Type => TaskType;

    public IReadOnlyList<TaskPayloadError> Validate(JsonElement payload) => MediaFetchPayload.Validate(payload);

    public async Task<TaskResult> ProcessAsync(TaskExecution context, CancellationToken cancellationToken)
    {
        var payload = MediaFetchPayload.From(context.Payload);
        var db = context.Services.GetRequiredService<SaasDbContext>();
        var media = await db.MessageMedia.SingleOrDefaultAsync(m => m.Id == payload.MediaId, cancellationToken)
            ?? throw new MediaFetchException(MediaFetchException.MediaNotFound, false, $"Media {payload.MediaId} does not exist.");
        if (media.Status == MediaStatuses.Stored)
        {
            return Result(media);
        }

        try
        {
            var downloaded = await DownloadAsync(db, context.Services.GetRequiredService<MediaDownloader>(), media, cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await context.Services.GetRequiredService<IMediaStorage>().SaveAsync(media.TenantId, media.Id, downloaded.Content, cancellationToken);
            media.Status = MediaStatuses.Stored;
            media.ContentType = downloaded.ContentType;
            media.SizeBytes = downloaded.Content.Length;
            media.Sha256 = Convert.ToHexStringLower(SHA256.HashData(downloaded.Content));
            media.Error = null;
            media.StoredAt = time.GetUtcNow();
            db.AddIntegrationEvent(new MessageMediaStored
            {
                TenantId = media.TenantId,
                ConversationId = await db.Messages.Where(m => m.Id == media.MessageId).Select(m => m.ConversationId).SingleAsync(cancellationToken),
                MessageId = media.MessageId,
                MediaId = media.Id,
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Result(media);
        }
        catch (MediaFetchException failure) when (!failure.IsRetryable || context.Attempt >= context.MaxAttempts)
        {
            // The last word on this media: the CRM shows why it is missing.
            media.Status = MediaStatuses.Failed;
            media.Error = failure.ErrorCode;
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
    }

    public TaskFailure ClassifyFailure(Exception exception) => exception switch
    {
        MediaFetchException failure => new TaskFailure(failure.ErrorCode, failure.IsRetryable, failure.Message, failure.RetryAfter),
        _ => TaskFailure.Unexpected(exception),
    };

    private async Task<DownloadedMedia> DownloadAsync(SaasDbContext db, MediaDownloader downloader, MessageMedia media, CancellationToken cancellationToken)
    {
        var channel = await db.Channels.AsNoTracking()
            .Where(c => c.Id == media.ChannelId)
            .Select(c => new { c.Provider, c.AccessTokenEncrypted, c.SecretEncrypted, c.ProviderAccountId })
            .SingleAsync(cancellationToken);
        var url = Uri.TryCreate(media.Source, UriKind.Absolute, out var parsed) && parsed.Scheme is "https" or "http" ? parsed : null;
        if (channel.Provider == ChannelProviders.Twilio)
        {
            if (url is null || channel.ProviderAccountId is null)
            {
                throw new MediaFetchException(MediaFetchException.NoCredentials, false, "A Twilio media needs its URL and the channel's account SID.");
            }

            return await downloader.FromTwilioAsync(url, channel.ProviderAccountId, secrets.Unprotect(channel.SecretEncrypted), cancellationToken);
        }
        if (url is not null)
        {
            return await downloader.FromUrlAsync(url, cancellationToken);
        }

        if (channel.AccessTokenEncrypted is null)
        {
            throw new MediaFetchException(MediaFetchException.NoCredentials, false, "The channel has no Graph API access token.");
        }

        return await downloader.FromGraphAsync(media.Source, secrets.Unprotect(channel.AccessTokenEncrypted), cancellationToken);
    }

    private static TaskResult Result(MessageMedia media) =>
        new([TaskOutput.Json(JsonSerializer.Serialize(new { mediaId = media.Id, media.ContentType, media.SizeBytes, media.Sha256 }))]);
}
