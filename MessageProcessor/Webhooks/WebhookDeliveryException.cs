namespace SaasAssistants.MessageProcessor.Webhooks;

/// <summary>A delivery attempt that did not end in a 2xx, with the code the task attempt records.</summary>
public sealed class WebhookDeliveryException(string errorCode, bool isRetryable, string message, TimeSpan? retryAfter = null) : Exception(message)
{
    public const string DeliveryNotFound = "webhook_delivery_not_found";
    public const string SubscriptionDisabled = "webhook_subscription_disabled";
    public const string TargetRefused = "webhook_target_refused";
    public const string Gone = "webhook_gone";
    public const string ReceiverError = "webhook_receiver_error";
    public const string Unreachable = "webhook_unreachable";
    public const string Timeout = "webhook_timeout";

    public string ErrorCode { get; } = errorCode;

    public bool IsRetryable { get; } = isRetryable;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
