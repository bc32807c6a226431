using Microsoft.AspNetCore.Authentication.Cookies;

namespace SaasAssistants.WebApp.Account;

public static class AccountDefaults
{
    public const string AuthenticationScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string LoginPath = "/login";
    public const string LogoutPath = "/logout";
    public const string ReturnUrlParameter = "returnUrl";
    public const string HomePath = "/conversations";

    /// <summary>Only a path of this site is followed after sign-in, so a crafted link cannot send the user elsewhere.</summary>
    public static string SafeReturnUrl(string? returnUrl)
        => returnUrl is { Length: > 0 } url && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal)
            && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : HomePath;
}
