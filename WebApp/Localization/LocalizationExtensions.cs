using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace SaasAssistants.WebApp.Localization;

public static class LocalizationExtensions
{
    public static readonly CultureInfo[] SupportedCultures = [new("en"), new("pt-BR")];

    public static IHostApplicationBuilder AddCrmLocalization(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture("en");
            options.SupportedCultures = SupportedCultures;
            options.SupportedUICultures = SupportedCultures;
            // The workspace's language (Settings; a cookie set at sign-in and on saving), else the browser's; en-US,
            // en-GB ... fall back to en. Anything unsupported gets en.
            options.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
        });
        return builder;
    }
}
