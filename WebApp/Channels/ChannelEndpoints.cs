using Microsoft.AspNetCore.Mvc;
using SaasAssistants.WebApp.Account;
using SaasAssistants.WebApp.Conversations;
using SaasAssistants.WebApp.Extensions;

namespace SaasAssistants.WebApp.Channels;

/// <summary>
/// The channels page's forms: connect, edit (name, assistant, replaced secrets, widget origins), enable and disable.
/// Owners and admins only, checked here on the server as on the page. Antiforgery is checked on every post.
/// </summary>
public static class ChannelEndpoints
{
    public const string Page = "/channels";

    public static IEndpointRouteBuilder MapChannelEndpoints(this IEndpointRouteBuilder app)
    {
        var channels = app.MapGroup(Page).RequireAuthorization(SaasPolicies.ManageWorkspace);

        channels.MapPost("", async ([FromForm] ChannelForm form, ChannelSettings settings, HttpContext context, CancellationToken cancellationToken) =>
        {
            var (id, refusal) = await settings.ConnectAsync(form, cancellationToken);
            return refusal is null
                ? FormResponses.Done(context, $"{Page}#channel-{id}", new { id })
                : FormResponses.Invalid(context, $"{Page}?kind={Uri.EscapeDataString(form.Kind ?? "")}", refusal.Code, refusal.Field);
        });
        channels.MapPost("/{channelId:guid}", async (Guid channelId, [FromForm] ChannelForm form, ChannelSettings settings, HttpContext context,
            CancellationToken cancellationToken) =>
        {
            var refusal = await settings.UpdateAsync(channelId, form, cancellationToken);
            return refusal switch
            {
                null => FormResponses.Done(context, $"{Page}#channel-{channelId}"),
                { Code: "not_found" } => FormResponses.NotFound(),
                _ => FormResponses.Invalid(context, $"{Page}?edit={channelId}", refusal.Code, refusal.Field),
            };
        });
        channels.MapPost("/{channelId:guid}/enable", (Guid channelId, ChannelSettings settings, HttpContext context, CancellationToken cancellationToken)
            => SetActiveAsync(channelId, true, settings, context, cancellationToken)).WithFormAntiforgery();
        channels.MapPost("/{channelId:guid}/disable", (Guid channelId, ChannelSettings settings, HttpContext context, CancellationToken cancellationToken)
            => SetActiveAsync(channelId, false, settings, context, cancellationToken)).WithFormAntiforgery();
        return app;
    }

    private static async Task<IResult> SetActiveAsync(Guid channelId, bool active, ChannelSettings settings, HttpContext context, CancellationToken cancellationToken)
        => await settings.SetActiveAsync(channelId, active, cancellationToken)
            ? FormResponses.Done(context, $"{Page}#channel-{channelId}")
            : FormResponses.NotFound();
}
