using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using SaasAssistants.WebApp.Account;
using SaasAssistants.WebApp.Extensions;

namespace SaasAssistants.WebApp.Assistants;

/// <summary>
/// The assistants pages' forms (create, edit, the tenant's monthly AI budget) and the "try it" console: a message
/// starts an ai.reply task; its state and reply are read back as JSON until it ends. Owners and admins only.
/// </summary>
public static class AssistantEndpoints
{
    public const string Page = "/assistants";

    public static IEndpointRouteBuilder MapAssistantEndpoints(this IEndpointRouteBuilder app)
    {
        var assistants = app.MapGroup(Page).RequireAuthorization(SaasPolicies.ManageWorkspace);

        assistants.MapPost("", async ([FromForm] AssistantForm form, AssistantSettings settings, HttpContext context, CancellationToken cancellationToken) =>
        {
            var (id, refusal) = await settings.CreateAsync(form, cancellationToken);
            return refusal is null
                ? FormResponses.Done(context, $"{Page}/{id}", new { id })
                : FormResponses.Invalid(context, Page, refusal.Code, refusal.Field);
        });
        assistants.MapPost("/{assistantId:guid}", async (Guid assistantId, [FromForm] AssistantForm form, AssistantSettings settings, HttpContext context,
            CancellationToken cancellationToken) => await settings.UpdateAsync(assistantId, form, cancellationToken) switch
        {
            null => FormResponses.Done(context, $"{Page}/{assistantId}"),
            { Code: "not_found" } => FormResponses.NotFound(),
            var refusal => FormResponses.Invalid(context, $"{Page}/{assistantId}", refusal.Code, refusal.Field),
        });
        assistants.MapPost("/budget", async ([FromForm] string? monthlyBudgetUsd, AssistantSettings settings, HttpContext context,
            CancellationToken cancellationToken) => await settings.SetMonthlyBudgetAsync(monthlyBudgetUsd, cancellationToken) is { } refusal
            ? FormResponses.Invalid(context, Page, refusal.Code, refusal.Field)
            : FormResponses.Done(context, Page));
        assistants.MapPost("/{assistantId:guid}/console", async (Guid assistantId, [FromForm] string? text, ClaimsPrincipal user, AssistantConsole console,
            HttpContext context, CancellationToken cancellationToken) =>
        {
            var (taskId, refusal) = await console.SendAsync(assistantId, user.GetUserId(), user.Identity?.Name ?? "", text, cancellationToken);
            return refusal switch
            {
                null => context.WantsJson()
                    ? Results.Accepted($"{Page}/{assistantId}/console/{taskId}", new { taskId })
                    : Results.LocalRedirect($"{Page}/{assistantId}?task={taskId}#console"),
                { Code: "not_found" } => FormResponses.NotFound(),
                { Code: "console_busy" } => FormResponses.Conflict(context, $"{Page}/{assistantId}", refusal.Code),
                _ => FormResponses.Invalid(context, $"{Page}/{assistantId}", refusal.Code, refusal.Field),
            };
        });
        assistants.MapGet("/{assistantId:guid}/console/{taskId:guid}", async (Guid assistantId, Guid taskId, AssistantConsole console,
            CancellationToken cancellationToken) => await console.ReplyAsync(taskId, cancellationToken) is { } reply ? Results.Ok(reply) : FormResponses.NotFound());
        return app;
    }
}
