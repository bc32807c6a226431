using SaasAssistants.Database;
using SaasAssistants.WebApp.Account;
using SaasAssistants.WebApp.Conversations;

namespace SaasAssistants.WebApp.Notifications;

/// <summary>"Mark as read" on a notice: a plain form post (antiforgery checked), then back to the page it was sent from.</summary>
public static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/notifications/{id:guid}/read", async (Guid id, HttpContext context, SaasDbContext db, TimeProvider time,
            CancellationToken cancellationToken) =>
        {
            if (!await TenantNotifications.MarkReadAsync(db, id, context.User.GetUserId(), time.GetUtcNow(), cancellationToken))
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: "Notification not found.");
            }
            return Results.LocalRedirect(LocalReturnUrl(context.Request.Form["returnUrl"].ToString()));
        })
            .RequireAuthorization(SaasPolicies.ManageWorkspace)
            .WithFormAntiforgery();
        return app;
    }

    /// <summary>Only a path of this site: a crafted form must not turn the redirect into an open one.</summary>
    internal static string LocalReturnUrl(string? returnUrl)
        => returnUrl is { Length: > 0 } url && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            ? url
            : "/conversations";
}
