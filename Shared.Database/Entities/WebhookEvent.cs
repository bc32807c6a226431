namespace SaasAssistants.Database.Entities;

/// <summary>The audit row of one received webhook: what arrived, and whether it was accepted or why not.</summary>
public sealed class WebhookEvent
{
    public Guid Id { get; set; }
    /// <summary>Null when the channel could not be resolved; such rows are visible only to the owner role.</summary>
    public Guid? TenantId { get; set; }
    public Guid? ChannelId { get; set; }
    public required string ChannelType { get; set; }
    public string Status { get; private set; } = WebhookEventStatus.Queued;
    public string? RejectionReason { get; private set; }
    public string? CorrelationId { get; set; }
    /// <summary>The raw body as received; null once the retention job dropped it.</summary>
    public string? Payload { get; set; }
    /// <summary>The signature header that came with the delivery (X-Hub-Signature-256, X-Twilio-Signature), if any.</summary>
    public string? Signature { get; set; }
    /// <summary>Whether <see cref="Signature"/> verified; null when the channel does not sign (web) or was unknown.</summary>
    public bool? SignatureVerified { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset? ProcessedAt { get; private set; }

    public void Accept(DateTimeOffset at)
    {
        EnsureQueued();
        Status = WebhookEventStatus.Accepted;
        ProcessedAt = at;
    }

    public void Reject(string reason, DateTimeOffset at)
    {
        EnsureQueued();
        Status = WebhookEventStatus.Rejected;
        RejectionReason = reason;
        ProcessedAt = at;
    }

    private void EnsureQueued()
    {
        if (Status != WebhookEventStatus.Queued)
        {
            throw new InvalidOperationException($"Webhook event {Id} was already {Status}.");
        }
    }
}

public static class WebhookEventStatus
{
    public const string Queued = "queued";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
}
