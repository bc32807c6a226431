using SaasAssistants.Database.Tenancy;
using SaasAssistants.WebApp.Account;

namespace SaasAssistants.WebApp.Tenancy;

/// <summary>
/// Scopes the request to the signed-in user's tenant before any endpoint runs, so every query of the request
/// (EF's filters and PostgreSQL's row level security) sees that tenant's rows only.
/// </summary>
public sealed class TenantContextMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context, ITenantContext tenant)
    {
        if (context.User.FindTenantId() is { } tenantId)
        {
            tenant.SetTenant(tenantId);
        }

        return next(context);
    }
}
