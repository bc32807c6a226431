namespace SaasAssistants.Gateway.Webhooks.Retention;

/// <summary>Configuration section <c>Webhooks:Retention</c>.</summary>
public sealed class WebhookRetentionOptions
{
    public const string SectionName = "Webhooks:Retention";

    /// <summary>Days a webhook's raw payload (which holds customers' words and numbers) is kept.</summary>
    public int PayloadDays { get; set; } = 30;

    /// <summary>Days the audit row itself (outcome, reason, signature, ids) is kept.</summary>
    public int RowDays { get; set; } = 90;

    /// <summary>How often the job runs; every Gateway instance runs it, which is harmless (it is idempotent).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}
