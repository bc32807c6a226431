using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;
using SaasAssistants.PublicApi.Authentication;

namespace SaasAssistants.PublicApi.Webhooks;

/// <summary>
/// Re-enabling a subscription that was disabled (410 Gone, or failing for too long), once the partner has fixed the
/// endpoint: it receives new events again, its failure run starts from zero, and the tenant's notice about it is read.
/// Events raised while it was disabled are not sent; a failed delivery from before can be replayed.
/// </summary>
public static class WebhookSubscriptionEnabling
{
    public static void MapWebhookSubscriptionEnabling(this RouteGroupBuilder api)
        => api.MapPost("/{id:guid}/enable", EnableSubscription).WithName("EnableWebhookSubscription").RequireScope(ApiScopes.WebhooksWrite)
            .WithSummary("Re-enables a disabled subscription; enabling an active one changes nothing. Answers 200 with the subscription.")
            .WithDescription("New events are delivered again from now on (events raised while it was disabled are not); its count of failures " +
                "starts again from zero. A failed delivery can be sent again with POST .../deliveries/{deliveryId}/replay. The URL is checked " +
                "again as at creation: 422 if it is no longer an allowed target.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    public static async Task<Results<Ok<WebhookSubscriptionResponse>, ValidationProblem, ProblemHttpResult>> EnableSubscription(
        Guid id, SaasDbContext db, WebhookTargetPolicy targets, TimeProvider time, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return WebhooksApi.NotFound();
        }
        if (subscription.Status != "active")
        {
            // The address may have moved into our network since it was accepted.
            if (await targets.RejectionAsync(subscription.Url, cancellationToken) is { } rejection)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["url"] = [rejection] });
            }
            (subscription.Status, subscription.DisabledReason, subscription.DisabledAt) = ("active", null, null);
            (subscription.ConsecutiveFailures, subscription.FailingSince) = (0, null);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            var now = time.GetUtcNow();
            await db.TenantNotifications.Where(n => n.SubjectId == id && n.ReadAt == null)
                .ExecuteUpdateAsync(n => n.SetProperty(x => x.ReadAt, now), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return TypedResults.Ok(new WebhookSubscriptionResponse(subscription.Id, subscription.Url, subscription.Events, subscription.Status,
            subscription.DisabledReason, subscription.DisabledAt, subscription.PreviousSecretExpiresAt, subscription.CreatedAt));
    }
}
