namespace SaasAssistants.PublicApi.Webhooks;

/// <summary>The <c>PublicApi:Webhooks</c> section.</summary>
public sealed class WebhookApiOptions
{
    public const string SectionName = "PublicApi:Webhooks";

    /// <summary>After a rotation, how long the previous secret keeps signing next to the new one (receivers switch meanwhile).</summary>
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);
}
