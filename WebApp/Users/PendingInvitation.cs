namespace SaasAssistants.WebApp.Users;

/// <summary>An invitation found by its token, before the invitee has signed in.</summary>
public sealed record PendingInvitation(Guid Id, Guid TenantId, string TenantName, string Email, string Role, bool IsUsable);
