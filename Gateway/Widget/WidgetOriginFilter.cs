using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Net.Http.Headers;
using SaasAssistants.Gateway.Webhooks;

namespace SaasAssistants.Gateway.Widget;

/// <summary>
/// Holds the widget's endpoints to their channel's allowed origins. CORS alone only keeps a foreign page from reading
/// the answer; a simple POST would still reach the handler, so a browser request from an origin the channel does not
/// allow is refused here, before anything is written. Requests without an Origin (servers, curl) are not browsers'
/// cross-site calls and pass.
/// </summary>
public static class WidgetOriginFilter
{
    public static TBuilder RequireWidgetOrigin<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireCors(WidgetCorsPolicyProvider.PolicyName).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (!http.Request.Headers.ContainsKey(HeaderNames.Origin))
            {
                return await next(context);
            }

            var policy = await http.RequestServices.GetRequiredService<ICorsPolicyProvider>().GetPolicyAsync(http, WidgetCorsPolicyProvider.PolicyName);
            var allowed = policy is null || http.RequestServices.GetRequiredService<ICorsService>().EvaluatePolicy(http, policy).IsOriginAllowed;
            return allowed ? await next(context) : WebhookRejection.OriginNotAllowed().ToProblem();
        });
}
