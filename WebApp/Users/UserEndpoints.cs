using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using SaasAssistants.WebApp.Account;
using SaasAssistants.WebApp.Conversations;
using SaasAssistants.WebApp.Extensions;

namespace SaasAssistants.WebApp.Users;

/// <summary>
/// The users page's forms: change a role, remove a user, revoke an invitation (inviting is the page's own form, since
/// the link is shown in that answer only). Owners and admins only; antiforgery checked.
/// </summary>
public static class UserEndpoints
{
    public const string Page = "/users";

    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup(Page).RequireAuthorization(SaasPolicies.ManageWorkspace);

        users.MapPost("/{userId:guid}/role", async (Guid userId, [FromForm] string? role, ClaimsPrincipal actor, TeamMembers team, HttpContext context,
            CancellationToken cancellationToken)
            => Respond(context, await team.ChangeRoleAsync(userId, role, ActorRole(actor), cancellationToken)));
        users.MapPost("/{userId:guid}/remove", async (Guid userId, ClaimsPrincipal actor, TeamMembers team, HttpContext context,
            CancellationToken cancellationToken)
            => Respond(context, await team.RemoveAsync(userId, actor.GetUserId(), ActorRole(actor), cancellationToken)))
            .WithFormAntiforgery();
        users.MapPost("/invitations/{invitationId:guid}/revoke", async (Guid invitationId, TeamMembers team, HttpContext context,
            CancellationToken cancellationToken)
            => await team.RevokeInvitationAsync(invitationId, cancellationToken) ? FormResponses.Done(context, Page) : FormResponses.NotFound())
            .WithFormAntiforgery();
        return app;
    }

    private static string ActorRole(ClaimsPrincipal actor) => actor.FindFirstValue(ClaimTypes.Role) ?? "";

    private static IResult Respond(HttpContext context, FormRefusal? refusal) => refusal switch
    {
        null => FormResponses.Done(context, Page),
        { Code: "not_found" } => FormResponses.NotFound(),
        { Code: "role" } => FormResponses.Invalid(context, Page, refusal.Code, refusal.Field),
        _ => FormResponses.Conflict(context, Page, refusal.Code),
    };
}
