using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace SaasAssistants.WebApp.Account;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // A POST with an antiforgery token, so another site cannot sign the agent out with a link or an image.
        app.MapPost(AccountDefaults.LogoutPath, async (HttpContext context, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "A valid antiforgery token is required.");
            }

            await context.SignOutAsync(AccountDefaults.AuthenticationScheme);
            return Results.LocalRedirect(AccountDefaults.LoginPath);
        });
        return app;
    }
}
