using Microsoft.AspNetCore.Authorization;

namespace SaasAssistants.WebApp.Account;

/// <summary>
/// The CRM's authorization policies. Roles come from <c>users.role</c> (owner, admin, agent) through the sign-in cookie;
/// agents run conversations and contacts, while assistants, channels, knowledge, API keys, users and settings are managed
/// by owners and admins only. Checked on the server for every page and endpoint, not only hidden in the navigation.
/// </summary>
public static class SaasPolicies
{
    public const string ManageWorkspace = "manage-workspace";

    public static readonly string[] ManagerRoles = ["owner", "admin"];

    public static void AddSaasPolicies(this AuthorizationOptions options)
        => options.AddPolicy(ManageWorkspace, policy => policy.RequireRole(ManagerRoles));
}
