namespace SaasAssistants.WebApp.Tenancy;

public static class TenancyExtensions
{
    /// <summary>Call after UseAuthentication: it reads the tenant from the signed-in user.</summary>
    public static IApplicationBuilder UseTenantContext(this IApplicationBuilder app)
        => app.UseMiddleware<TenantContextMiddleware>();
}
