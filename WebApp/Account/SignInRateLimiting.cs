using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using SaasAssistants.WebApp.Localization;

namespace SaasAssistants.WebApp.Account;

/// <summary>Limits sign-in (and sign-up) form posts per client address, so passwords cannot be guessed at speed.</summary>
public static class SignInRateLimiting
{
    public static IServiceCollection AddSignInRateLimiting(this IServiceCollection services)
        => services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => IsSignIn(context.Request)
                ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = context.RequestServices.GetRequiredService<IOptions<AccountOptions>>().Value.SignInAttemptsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                })
                : RateLimitPartition.GetNoLimiter(string.Empty));
            options.OnRejected = RejectAsync;
        });

    // Sign-up shares the budget: it hashes a password too, and must not become a way to probe emails at speed.
    private static bool IsSignIn(HttpRequest request)
        => HttpMethods.IsPost(request.Method) && (request.Path.Equals(AccountDefaults.LoginPath, StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals(SignUpDefaults.Path, StringComparison.OrdinalIgnoreCase));

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var response = rejected.HttpContext.Response;
        var localizer = rejected.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = "60";
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(localizer["SignIn.TooManyAttempts"], cancellationToken);
    }
}
