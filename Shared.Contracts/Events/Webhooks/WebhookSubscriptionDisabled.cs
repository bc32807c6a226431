namespace SaasAssistants.Contracts.Events.Webhooks;

/// <summary>
/// A webhook subscription was disabled because its endpoint keeps failing (or answered 410 Gone): the tenant's notice.
/// The subscription keeps <see cref="Reason"/> as <c>disabled_reason</c>, which the API lists; the CRM can show this event.
/// </summary>
public sealed record WebhookSubscriptionDisabled : IntegrationEvent
{
    public required Guid SubscriptionId { get; init; }
    public required string Url { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset DisabledAt { get; init; }
}
