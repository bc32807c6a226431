using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.WebApp.Account;

public static class AccountServiceExtensions
{
    public static IHostApplicationBuilder AddAccount(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(AccountDefaults.AuthenticationScheme)
            .AddCookie(AccountDefaults.AuthenticationScheme, options =>
            {
                options.Cookie.Name = "saas.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                // Secure whenever the request came over HTTPS (always, in production behind TLS), so the session
                // never travels in clear once a site uses HTTPS; plain HTTP keeps working for local development.
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = AccountDefaults.LoginPath;
                options.LogoutPath = AccountDefaults.LogoutPath;
                options.ReturnUrlParameter = AccountDefaults.ReturnUrlParameter;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                // Scripts (the JSON API, the hub's negotiate) need a status code, not an HTML login page.
                options.Events.OnRedirectToLogin = context => context.Request.IsForScript()
                    ? Reply(context.Response, StatusCodes.Status401Unauthorized)
                    : Redirect(context);
                options.Events.OnRedirectToAccessDenied = context => Reply(context.Response, StatusCodes.Status403Forbidden);
                options.Events.OnValidatePrincipal = SessionValidator.ValidatePrincipal;
            });
        builder.Services.AddAuthorization(options => options.AddSaasPolicies());
        builder.Services.AddScoped<IPasswordHasher<User>, PasswordHasher<User>>();
        builder.Services.AddScoped<CredentialVerifier>();
        builder.Services.AddScoped<SessionValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<AccountOptions>().BindConfiguration("Account");
        builder.Services.AddSignInRateLimiting();
        builder.Services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        builder.Services.AddScoped<TenantSignUp>();
        return builder;
    }

    private static Task Reply(HttpResponse response, int statusCode)
    {
        response.StatusCode = statusCode;
        return Task.CompletedTask;
    }

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
