namespace SaasAssistants.WebApp.Users;

/// <summary>A pending invitation as the users page lists it; its link is not stored, so it cannot be shown again.</summary>
public sealed record InvitationView(Guid Id, string Email, string Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);
