namespace SaasAssistants.Contracts.Events.Users;

/// <summary>A user was removed from its tenant: every WebApp instance ends that user's open live connections.</summary>
public sealed record UserRemoved : IntegrationEvent
{
    public required Guid UserId { get; init; }
}
