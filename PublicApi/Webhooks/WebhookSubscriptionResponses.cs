namespace SaasAssistants.PublicApi.Webhooks;

/// <summary>A subscription as listed (the secret is shown once, at creation).</summary>
/// <param name="Id">The subscription's id.</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="Events">The events it receives.</param>
/// <param name="Status">active, or disabled (410 Gone, or every delivery failing for too long): a disabled subscription gets nothing.</param>
/// <param name="DisabledReason">Why it was disabled, e.g. "The endpoint answered 410 Gone."</param>
/// <param name="DisabledAt">When it was disabled (UTC).</param>
/// <param name="PreviousSecretExpiresAt">After a rotation: until then deliveries are signed with the previous secret too.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
public sealed record WebhookSubscriptionResponse(
    Guid Id, string Url, string[] Events, string Status, string? DisabledReason, DateTimeOffset? DisabledAt, DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset CreatedAt);

/// <summary>A new subscription and its signing secret (Standard Webhooks, whsec_ + base64): keep it, it is not shown again.</summary>
/// <param name="Id">The subscription's id.</param>
/// <param name="Secret">The signing secret: webhook-signature is v1,base64(HMAC-SHA256(base64-decoded secret, "{id}.{timestamp}.{body}")).</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="Events">The events it receives.</param>
public sealed record CreatedWebhookSubscription(Guid Id, string Secret, string Url, string[] Events);

/// <summary>A subscription to create.</summary>
/// <param name="Url">An https URL on the public internet (http and local addresses only in Development).</param>
/// <param name="Events">One or more of message.created, conversation.created, conversation.updated, task.succeeded, task.failed.</param>
public sealed record CreateWebhookSubscriptionRequest(string? Url, string[]? Events);
