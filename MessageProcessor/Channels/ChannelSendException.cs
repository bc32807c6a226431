namespace SaasAssistants.MessageProcessor.Channels;

/// <summary>
/// A send the channel refused or could not take. <see cref="ErrorCode"/> is the channel's own code where it gave one
/// (WhatsApp's 131047, Graph's 100), else ours; it becomes the message's delivery error and the attempt's error code.
/// </summary>
public sealed class ChannelSendException(string errorCode, bool isRetryable, string message, TimeSpan? retryAfter = null) : Exception(message)
{
    public const string OutsideServiceWindow = "outside_service_window";
    public const string MessageNotFound = "message_not_found";
    public const string ChannelNotSendable = "channel_not_sendable";
    public const string ChannelUnavailable = "channel_unavailable";

    public string ErrorCode { get; } = errorCode;
    public bool IsRetryable { get; } = isRetryable;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
