using Microsoft.AspNetCore.SignalR;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.WebApp.Account;

namespace SaasAssistants.WebApp.Tenancy;

/// <summary>
/// SignalR runs each hub call in a DI scope of its own, which the request middleware never sees:
/// this sets the caller's tenant in that scope, as <see cref="TenantContextMiddleware"/> does for requests.
/// </summary>
public sealed class TenantHubFilter : IHubFilter
{
    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        SetTenant(invocationContext.Context, invocationContext.ServiceProvider);
        return next(invocationContext);
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        SetTenant(context.Context, context.ServiceProvider);
        return next(context);
    }

    private static void SetTenant(HubCallerContext caller, IServiceProvider services)
    {
        var tenantId = caller.User?.FindTenantId() ?? throw new HubException("Not signed in.");
        services.GetRequiredService<ITenantContext>().SetTenant(tenantId);
    }
}
