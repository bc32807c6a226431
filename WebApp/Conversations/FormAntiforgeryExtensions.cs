using Microsoft.AspNetCore.Antiforgery;

namespace SaasAssistants.WebApp.Conversations;

public static class FormAntiforgeryExtensions
{
    /// <summary>
    /// A form post that binds nothing from the form still needs its antiforgery token checked (the framework enforces it
    /// only where parameters bind from the form), so another site cannot close or take over a conversation with a hidden form.
    /// </summary>
    public static RouteHandlerBuilder WithFormAntiforgery(this RouteHandlerBuilder builder)
        => builder.AddEndpointFilter(async (context, next) =>
        {
            var antiforgery = context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context.HttpContext))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "A valid antiforgery token is required.");
            }
            return await next(context);
        });
}
