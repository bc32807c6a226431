namespace SaasAssistants.MessageProcessor.Media;

/// <summary>A media fetch that failed, with the code the media row keeps and whether another attempt may succeed.</summary>
public sealed class MediaFetchException(string errorCode, bool isRetryable, string message, TimeSpan? retryAfter = null) : Exception(message)
{
    public const string TooLarge = "too_large";
    public const string UnsupportedContentType = "unsupported_content_type";
    public const string ContentMismatch = "content_mismatch";
    public const string SourceUnavailable = "source_unavailable";
    public const string MediaNotFound = "media_not_found";
    public const string NoCredentials = "channel_without_credentials";

    public string ErrorCode { get; } = errorCode;

    public bool IsRetryable { get; } = isRetryable;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
