using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SaasAssistants.Database.Tenancy;

namespace SaasAssistants.PublicApi.Authentication;

/// <summary>
/// The "ApiKey" scheme: a partner sends its key in X-Api-Key. On success the request acts for the key's tenant,
/// both as claims and in the scoped <see cref="ITenantContext"/> that SaasDbContext's filters and the database's
/// row level security read; authentication runs before the endpoint, so no endpoint code sees the data unscoped.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyResolver resolver,
    ApiKeyUsageRecorder usage,
    ITenantContext tenant,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string MissingKey = $"Missing {ApiKeyDefaults.HeaderName} header";
    private const string InvalidKey = "Invalid API key";
    private const string InactiveTenant = "The account of this API key is suspended or cancelled";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var values = Request.Headers[ApiKeyDefaults.HeaderName];
        if (values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return AuthenticateResult.NoResult();
        }

        if (values.Count > 1)
        {
            return AuthenticateResult.Fail(InvalidKey);
        }

        var key = await resolver.ResolveAsync(values[0]!, Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail(InvalidKey);
        }

        if (!key.TenantActive)
        {
            return AuthenticateResult.Fail(InactiveTenant);
        }

        tenant.SetTenant(key.TenantId);
        await usage.RecordAsync(key.ApiKeyId, Context.RequestAborted);

        var identity = new ClaimsIdentity(
        [
            new Claim(ApiKeyDefaults.TenantIdClaim, key.TenantId.ToString()),
            new Claim(ApiKeyDefaults.ApiKeyIdClaim, key.ApiKeyId.ToString()),
            new Claim(ApiKeyDefaults.PlanClaim, key.Plan),
            new Claim(ApiScopes.ClaimType, ApiScopes.Join(key.Scopes)),
        ], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
        => AuthenticationProblems.WriteForbiddenAsync(Context, problemDetails);

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        // Only our own failure messages reach the client; anything else (an exception) stays in the logs.
        var detail = result.Failure switch
        {
            null => MissingKey,
            AuthenticationFailureException failure => failure.Message,
            _ => InvalidKey,
        };
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = ApiKeyDefaults.Scheme;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = detail,
            },
        });
    }
}
