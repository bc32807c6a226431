using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace SaasAssistants.WebApp.Localization;

/// <summary>
/// The workspace's language travels in ASP.NET Core's culture cookie, set when a user signs in and when an admin saves
/// the settings, so a request needs no database read to pick its language. No language: the cookie goes, the browser decides.
/// </summary>
public static class LanguageCookie
{
    public static void Apply(HttpResponse response, string? language)
    {
        if (language is null || !LocalizationExtensions.SupportedCultures.Any(c => c.Name == language))
        {
            response.Cookies.Delete(CookieRequestCultureProvider.DefaultCookieName);
            return;
        }
        var culture = new RequestCulture(CultureInfo.GetCultureInfo(language));
        response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName, CookieRequestCultureProvider.MakeCookieValue(culture),
            new CookieOptions { HttpOnly = true, IsEssential = true, SameSite = SameSiteMode.Lax, Secure = response.HttpContext.Request.IsHttps,
                MaxAge = TimeSpan.FromDays(365) });
    }
}
