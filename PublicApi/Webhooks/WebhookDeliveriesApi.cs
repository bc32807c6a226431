using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Tasks;
using SaasAssistants.Database.Webhooks;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.PublicApi.Authentication;
using SaasAssistants.PublicApi.Idempotency;
using SaasAssistants.PublicApi.Paging;
using SaasAssistants.ServiceDefaults.Correlation;

namespace SaasAssistants.PublicApi.Webhooks;

/// <summary>
/// A subscription's delivery log (each attempt's status code, duration and error, and the next attempt's time) and
/// replay (with an Idempotency-Key, a retried replay queues nothing more). A delivery's state is its
/// <c>webhook.deliver</c> task's: the task engine owns retries, so the log reads it rather than keeping a second copy.
/// </summary>
public static class WebhookDeliveriesApi
{
    private const string ReplayOperation = "webhooks.deliveries.replay";

    public static void MapWebhookDeliveries(this RouteGroupBuilder api)
    {
        api.MapGet("/{id:guid}/deliveries", ListDeliveries).WithName("ListWebhookDeliveries").RequireScope(ApiScopes.WebhooksRead)
            .WithSummary("Lists a subscription's deliveries, newest first, with every attempt, a page at a time (follow nextCursor).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/replay", ReplayDelivery).WithName("ReplayWebhookDelivery")
            .RequireScope(ApiScopes.WebhooksWrite)
            .WithSummary("Sends a finished delivery again (same body, same webhook-id), with a fresh retry window; answers 202.")
            .WithDescription("Send an Idempotency-Key header so that a retry after a timeout answers 202 again instead of sending the delivery a third time.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    public static async Task<Results<Ok<CursorPage<WebhookDeliveryResponse>>, ValidationProblem, ProblemHttpResult>> ListDeliveries(
        Guid id, [AsParameters] CursorRequest page, SaasDbContext db, CancellationToken cancellationToken)
    {
        if (page.Validate(out var after) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        if (!await db.WebhookSubscriptions.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return WebhooksApi.NotFound();
        }
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == id);
        if (after is { } position)
        {
            query = query.Where(d => EF.Functions.LessThan(ValueTuple.Create(d.CreatedAt, d.Id), ValueTuple.Create(position.At, position.Id)));
        }
        var deliveries = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(page.Limit + 1).ToListAsync(cancellationToken);
        var responses = await ToResponsesAsync(db, deliveries, cancellationToken);
        return TypedResults.Ok(CursorPage<WebhookDeliveryResponse>.From(responses, page.Limit, d => new PageCursor(d.CreatedAt, d.Id)));
    }

    public static async Task<Results<Accepted<WebhookDeliveryResponse>, ValidationProblem, ProblemHttpResult>> ReplayDelivery(
        Guid id, Guid deliveryId, [FromHeader(Name = IdempotentCreation.Header)] string? idempotencyKey, SaasDbContext db,
        IOptions<WebhookDeliveryOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (IdempotentCreation.Validate(idempotencyKey) is { } keyErrors)
        {
            return TypedResults.ValidationProblem(keyErrors);
        }

        // Checked before the delivery's state: a retry would otherwise find its own replay in progress and get a 409.
        var hash = CanonicalJson.Hash(new { subscriptionId = id, deliveryId });
        switch (await IdempotentCreation.CheckAsync(db, idempotencyKey, ReplayOperation, hash, cancellationToken))
        {
            case IdempotencyOutcome.Replay:
                return await ReplayedAsync(db, id, deliveryId, cancellationToken);
            case IdempotencyOutcome.KeyReused:
                return WebhooksApi.KeyReused();
        }

        var subscription = await db.WebhookSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId && d.SubscriptionId == id, cancellationToken);
        if (subscription is null || delivery is null)
        {
            return subscription is null ? WebhooksApi.NotFound() : DeliveryNotFound();
        }
        if (subscription.Status != "active")
        {
            return Conflict("webhook_subscription_disabled", $"The subscription is disabled ({subscription.DisabledReason}); create a new one to receive events again.");
        }
        var current = await db.Tasks.AsNoTracking().Where(t => t.Id == delivery.TaskId).Select(t => (TaskItemStatus?)t.Status).SingleOrDefaultAsync(cancellationToken);
        if (current is { } status && !TaskStateMachine.IsTerminal(status))
        {
            return Conflict("webhook_delivery_in_progress", "The delivery is still being attempted; replay it once it has been delivered or has failed.");
        }

        var now = time.GetUtcNow();
        var settings = options.Value;
        var task = WebhookDeliveryTasks.Create(delivery.TenantId, delivery.Id, now + settings.RetryWindow, settings.MaxAttempts, now, CorrelationContext.Current);
        db.Tasks.Add(task);
        foreach (var @event in task.TakeEvents())
        {
            db.AddIntegrationEvent(@event);
        }
        delivery.TaskId = task.Id;
        // A request with the same key that got here at the same time loses on the key, and its task is not saved.
        switch (await IdempotentCreation.SaveAsync(db, idempotencyKey, ReplayOperation, hash, delivery.Id, cancellationToken))
        {
            case IdempotencyOutcome.Replay:
                return await ReplayedAsync(db, id, deliveryId, cancellationToken);
            case IdempotencyOutcome.KeyReused:
                return WebhooksApi.KeyReused();
        }
        return TypedResults.Accepted($"/api/v1/webhooks/{id}/deliveries", (await ToResponsesAsync(db, [delivery], cancellationToken))[0]);
    }

    /// <summary>A retried replay's answer: the delivery as it is now, under the replay the key's first request queued.</summary>
    private static async Task<Results<Accepted<WebhookDeliveryResponse>, ValidationProblem, ProblemHttpResult>> ReplayedAsync(
        SaasDbContext db, Guid id, Guid deliveryId, CancellationToken cancellationToken)
    {
        var delivery = await db.WebhookDeliveries.AsNoTracking().SingleOrDefaultAsync(d => d.Id == deliveryId && d.SubscriptionId == id, cancellationToken);
        // Deleted since, with its subscription.
        return delivery is null
            ? DeliveryNotFound()
            : TypedResults.Accepted($"/api/v1/webhooks/{id}/deliveries", (await ToResponsesAsync(db, [delivery], cancellationToken))[0]);
    }

    private static async Task<WebhookDeliveryResponse[]> ToResponsesAsync(SaasDbContext db, IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken)
    {
        var deliveryIds = deliveries.Select(d => d.Id).ToArray();
        var taskIds = deliveries.Select(d => d.TaskId).ToArray();
        var tasks = await db.Tasks.AsNoTracking().Where(t => taskIds.Contains(t.Id))
            .Select(t => new { t.Id, t.Status, t.ScheduledAt }).ToDictionaryAsync(t => t.Id, cancellationToken);
        var attempts = (await db.WebhookDeliveryAttempts.AsNoTracking().Where(a => deliveryIds.Contains(a.DeliveryId))
            .OrderBy(a => a.StartedAt).ThenBy(a => a.Id).ToListAsync(cancellationToken)).ToLookup(a => a.DeliveryId);
        return deliveries.Select(d =>
        {
            var task = tasks.GetValueOrDefault(d.TaskId);
            var status = task?.Status switch
            {
                TaskItemStatus.Created or TaskItemStatus.Queued => "pending",
                TaskItemStatus.Running => "sending",
                TaskItemStatus.Succeeded => "delivered",
                TaskItemStatus.Cancelled => "cancelled",
                _ => "failed",
            };
            return new WebhookDeliveryResponse(d.Id, d.EventType, d.EventId, d.MessageId, status,
                status == "pending" ? task!.ScheduledAt : null, d.CreatedAt,
                [.. attempts[d.Id].Select(a => new WebhookDeliveryAttemptResponse(a.AttemptNo, a.StartedAt, a.DurationMs, a.StatusCode, a.Succeeded, a.Error))]);
        }).ToArray();
    }

    private static ProblemHttpResult DeliveryNotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: "Webhook delivery not found.",
            extensions: new Dictionary<string, object?> { ["code"] = "webhook_delivery_not_found" });

    private static ProblemHttpResult Conflict(string code, string detail)
        => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, detail: detail,
            extensions: new Dictionary<string, object?> { ["code"] = code });
}
