using Microsoft.AspNetCore.Authentication.JwtBearer;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.PublicApi.Authentication;

namespace SaasAssistants.PublicApi.OAuth;

/// <summary>What the Bearer scheme does beyond validating the token: scope the request to its tenant, and answer in problem+json.</summary>
internal static class AccessTokenEvents
{
    public static JwtBearerEvents Create() => new()
    {
        OnTokenValidated = context =>
        {
            // As for an API key: the token's tenant goes into the scope before any endpoint code runs, so EF's filters
            // and row level security see only that tenant's rows.
            if (!Guid.TryParse(context.Principal?.FindFirst(ApiKeyDefaults.TenantIdClaim)?.Value, out var tenantId))
            {
                context.Fail("The access token names no tenant.");
                return Task.CompletedTask;
            }
            context.HttpContext.RequestServices.GetRequiredService<ITenantContext>().SetTenant(tenantId);
            return Task.CompletedTask;
        },
        OnChallenge = async context =>
        {
            context.HandleResponse();
            var detail = context.AuthenticateFailure is null ? "Missing access token" : "Invalid or expired access token";
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
            await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context.HttpContext,
                ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Title = "Unauthorized", Detail = detail },
            });
        },
        OnForbidden = context => AuthenticationProblems.WriteForbiddenAsync(
            context.HttpContext, context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>()),
    };
}
