namespace SaasAssistants.Gateway.RateLimiting;

public sealed class TenantRateLimitOptions
{
    /// <summary>Inbound webhooks one tenant may send per minute, across all Gateway instances.</summary>
    public int WebhooksPerMinute { get; set; } = 600;
}
