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

    /// <summary>The URL's host is not a media host of Meta's or Twilio's, nor one configured (<see cref="MediaHostPolicy"/>).</summary>
    public const string HostNotAllowed = "host_not_allowed";

    /// <summary>The host resolves to a loopback, private or link-local address and is not trusted by configuration.</summary>
    public const string AddressNotPublic = "address_not_public";

    public const string TooManyRedirects = "too_many_redirects";

    /// <summary>A refusal of where the media is, not a failure of the source: permanent, and worth a warning.</summary>
    public bool IsRefusedSource => ErrorCode is HostNotAllowed or AddressNotPublic;

    public string ErrorCode { get; } = errorCode;

    public bool IsRetryable { get; } = isRetryable;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
