namespace SaasAssistants.WebApp.Account;

/// <summary>
/// A user whose password was verified; <see cref="TenantActive"/> decides whether they may sign in. <see cref="Language"/>
/// is the workspace's language (null: the browser's).
/// </summary>
public sealed record SignInCandidate(Guid UserId, Guid TenantId, string DisplayName, string Role, bool TenantActive, string? Language = null);
