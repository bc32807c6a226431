using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SaasAssistants.WebApp.Security;

public static class SecurityExtensions
{
    /// <summary>The application name that every WebApp instance shares, so each one reads the others' cookies.</summary>
    public const string ApplicationName = "SaasAssistants.WebApp";

    /// <summary>
    /// Data-protection keys (they sign and encrypt the session and antiforgery cookies) in PostgreSQL, so sessions survive
    /// a restart and work on every instance behind a load balancer; HSTS for a year outside Development; the forwarded
    /// scheme and address from the configured proxies (<see cref="TrustedProxies"/>).
    /// </summary>
    public static IHostApplicationBuilder AddWebSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddDbContext<DataProtectionKeysContext>((services, options)
            => options.UseNpgsql(services.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<DataProtectionKeysContext>();
        builder.AddTrustedProxies();
        builder.Services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });
        return builder;
    }

    public static WebApplication UseWebSecurity(this WebApplication app)
    {
        app.UseTrustedProxies();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseMiddleware<SecurityHeadersMiddleware>();
        return app;
    }
}
