namespace SaasAssistants.PublicApi.Webhooks;

/// <summary>One event sent (or being sent) to a subscription.</summary>
/// <param name="Id">The delivery's id (for replay).</param>
/// <param name="EventType">The event, e.g. message.created.</param>
/// <param name="EventId">The event's id.</param>
/// <param name="WebhookId">The webhook-id header every attempt and replay of this delivery carries: de-duplicate on it.</param>
/// <param name="Status">pending (waiting for its next attempt), sending, delivered, failed (no attempt left) or cancelled.</param>
/// <param name="NextAttemptAt">When the next attempt is due, while pending (UTC).</param>
/// <param name="CreatedAt">When the event fanned out to this subscription (UTC).</param>
/// <param name="Attempts">Every attempt, oldest first, replays included.</param>
public sealed record WebhookDeliveryResponse(
    Guid Id, string EventType, Guid EventId, string WebhookId, string Status, DateTimeOffset? NextAttemptAt, DateTimeOffset CreatedAt,
    WebhookDeliveryAttemptResponse[] Attempts);

/// <summary>One POST to the subscription's URL, or the refusal to make it.</summary>
/// <param name="Attempt">The attempt's number within its run (a replay starts again at 1).</param>
/// <param name="StartedAt">When it started (UTC).</param>
/// <param name="DurationMs">How long the receiver took to answer, in milliseconds.</param>
/// <param name="StatusCode">The receiver's HTTP status; null when no answer came (refused target, connection error, timeout).</param>
/// <param name="Succeeded">True for a 2xx.</param>
/// <param name="Error">Why it failed: a code (webhook_receiver_error, webhook_gone, webhook_target_refused, webhook_unreachable, webhook_timeout, webhook_subscription_disabled) and a sentence.</param>
public sealed record WebhookDeliveryAttemptResponse(int Attempt, DateTimeOffset StartedAt, int DurationMs, int? StatusCode, bool Succeeded, string? Error);

/// <summary>A subscription's new signing secret.</summary>
/// <param name="Id">The subscription's id.</param>
/// <param name="Secret">The new whsec_ secret: keep it, it is not shown again.</param>
/// <param name="PreviousSecretExpiresAt">Until then deliveries carry a signature with the previous secret too (space-separated in webhook-signature).</param>
public sealed record RotatedWebhookSecret(Guid Id, string Secret, DateTimeOffset PreviousSecretExpiresAt);
