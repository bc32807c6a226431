using System.Security.Claims;

namespace SaasAssistants.WebApp.Account;

/// <summary>The claims of the sign-in cookie. The tenant claim scopes every request's data access.</summary>
public static class SaasClaims
{
    public const string TenantId = "tenant_id";

    public static ClaimsPrincipal Create(SignInCandidate user) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, user.UserId.ToString()),
        new Claim(TenantId, user.TenantId.ToString()),
        new Claim(ClaimTypes.Name, user.DisplayName),
        new Claim(ClaimTypes.Role, user.Role),
    ], AccountDefaults.AuthenticationScheme));

    public static Guid GetUserId(this ClaimsPrincipal principal)
        => Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            ? id
            : throw new InvalidOperationException("The signed-in user has no user id claim.");

    public static Guid? FindTenantId(this ClaimsPrincipal principal)
        => Guid.TryParse(principal.FindFirstValue(TenantId), out var id) ? id : null;

    public static Guid GetTenantId(this ClaimsPrincipal principal)
        => principal.FindTenantId() ?? throw new InvalidOperationException("The signed-in user has no tenant claim.");
}
