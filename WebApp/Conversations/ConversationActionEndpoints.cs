using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using SaasAssistants.Database.Conversations;
using SaasAssistants.WebApp.Account;

namespace SaasAssistants.WebApp.Conversations;

/// <summary>
/// The conversation page's forms: reply, take over, assign, hand back, close, reopen, note. Each is a plain form post
/// (antiforgery checked, because the parameters bind from the form) handled by the shared <see cref="AgentActions"/>,
/// then a redirect back to the page (post/redirect/get), with the refusal's code in the query for the page to explain.
/// A script that asks for JSON gets 204 or a problem+json instead.
/// </summary>
public static class ConversationActionEndpoints
{
    public static IEndpointRouteBuilder MapConversationActionEndpoints(this IEndpointRouteBuilder app)
    {
        var conversation = app.MapGroup("/conversations/{conversationId:guid}").RequireAuthorization();

        conversation.MapPost("/reply", async (Guid conversationId, [FromForm] string? text, [FromForm] string? templateName,
            [FromForm] string? templateLanguage, [FromForm] string? templateParameters, ClaimsPrincipal user, AgentActions actions,
            HttpContext context, CancellationToken cancellationToken) =>
        {
            ReplyTemplate? template = string.IsNullOrWhiteSpace(templateName) && string.IsNullOrWhiteSpace(templateLanguage) ? null
                : new ReplyTemplate(templateName?.Trim() ?? "", templateLanguage?.Trim() ?? "",
                    templateParameters?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? []);
            var result = await actions.ReplyAsync(conversationId, new AgentReply(text, user.GetUserId(), template), cancellationToken);
            return Respond(context, conversationId, result);
        });
        conversation.MapPost("/take-over", async (Guid conversationId, ClaimsPrincipal user, AgentActions actions, HttpContext context,
            CancellationToken cancellationToken)
            => Respond(context, conversationId, await actions.AssignAsync(conversationId, user.GetUserId(), cancellationToken)))
            .WithFormAntiforgery();
        conversation.MapPost("/assign", async (Guid conversationId, [FromForm] Guid? agentId, AgentActions actions, HttpContext context,
            CancellationToken cancellationToken)
            => agentId is { } agent
                ? Respond(context, conversationId, await actions.AssignAsync(conversationId, agent, cancellationToken))
                : Respond(context, conversationId, AgentActionResult.Invalid("agentId", AgentActionErrors.AgentNotFound, "Choose an agent.")));
        conversation.MapPost("/hand-back", async (Guid conversationId, AgentActions actions, HttpContext context, CancellationToken cancellationToken)
            => Respond(context, conversationId, await actions.HandBackAsync(conversationId, cancellationToken)))
            .WithFormAntiforgery();
        conversation.MapPost("/close", async (Guid conversationId, AgentActions actions, HttpContext context, CancellationToken cancellationToken)
            => Respond(context, conversationId, await actions.CloseAsync(conversationId, cancellationToken)))
            .WithFormAntiforgery();
        conversation.MapPost("/reopen", async (Guid conversationId, AgentActions actions, HttpContext context, CancellationToken cancellationToken)
            => Respond(context, conversationId, await actions.ReopenAsync(conversationId, cancellationToken)))
            .WithFormAntiforgery();
        conversation.MapPost("/notes", async (Guid conversationId, [FromForm] string? text, ClaimsPrincipal user, AgentActions actions,
            HttpContext context, CancellationToken cancellationToken)
            => Respond(context, conversationId, await actions.AddNoteAsync(conversationId, user.GetUserId(), text, cancellationToken)));
        return app;
    }

    private static IResult Respond(HttpContext context, Guid conversationId, AgentActionResult result)
    {
        var wantsJson = context.Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);
        if (result.Status == AgentActionStatus.NotFound)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: result.Detail);
        }
        if (wantsJson)
        {
            return result.Succeeded
                ? Results.NoContent()
                : Results.Problem(statusCode: result.Status == AgentActionStatus.Invalid ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict,
                    detail: result.Detail, extensions: new Dictionary<string, object?> { ["code"] = result.Error, ["field"] = result.Field });
        }
        var page = $"/conversations/{conversationId}";
        return Results.LocalRedirect(result.Succeeded ? page : $"{page}?error={Uri.EscapeDataString(result.Error ?? "")}");
    }
}
