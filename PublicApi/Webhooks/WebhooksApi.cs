using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Secrets;
using SaasAssistants.PublicApi.Authentication;
using SaasAssistants.PublicApi.Http;
using SaasAssistants.PublicApi.Idempotency;
using SaasAssistants.PublicApi.Versioning;

namespace SaasAssistants.PublicApi.Webhooks;

/// <summary>
/// Webhook subscriptions (create, list, get, delete, re-enable), their delivery log and replay, and secret rotation. Delivery
/// itself is the MessageProcessor's (webhook.deliver tasks, MessageProcessor/Webhooks).
/// </summary>
public static class WebhooksApi
{
    private const string CreateOperation = "webhooks.create";

    public static RouteGroupBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.NewVersionedApi("Webhooks")
            .MapGroup(ApiVersions.Route("/webhooks"))
            .HasApiVersion(ApiVersions.V1)
            .HasApiVersion(ApiVersions.V2)
            .WithTags("Webhooks")
            .RequireApiKey()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapPost("/", CreateSubscription).WithName("CreateWebhookSubscription").RequireScope(ApiScopes.WebhooksWrite)
            .WithSummary("Subscribes a URL to events; answers 201 with the id and the signing secret (shown once).")
            .Accepts<CreateWebhookSubscriptionRequest>("application/json")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/", ListSubscriptions).WithName("ListWebhookSubscriptions").RequireScope(ApiScopes.WebhooksRead)
            .WithSummary("Lists the subscriptions, oldest first.");
        api.MapDelete("/{id:guid}", DeleteSubscription).WithName("DeleteWebhookSubscription").RequireScope(ApiScopes.WebhooksWrite)
            .WithSummary("Deletes a subscription.").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:guid}", GetSubscription).WithName("GetWebhookSubscription").RequireScope(ApiScopes.WebhooksRead)
            .WithSummary("Gets one subscription, with why it was disabled if it was.").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapWebhookDeliveries();
        api.MapWebhookSecretRotation();
        api.MapWebhookSubscriptionEnabling();
        return api;
    }

    public static async Task<Results<Created<CreatedWebhookSubscription>, ValidationProblem, ProblemHttpResult>> CreateSubscription(
        [FromHeader(Name = IdempotentCreation.Header)] string? idempotencyKey,
        HttpRequest request, SaasDbContext db, SecretProtector secrets, WebhookTargetPolicy targets, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateWebhookSubscriptionRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = IdempotentCreation.Validate(idempotencyKey) ?? [];
        if (string.IsNullOrWhiteSpace(body!.Url) || body.Url.Length > 2048)
        {
            errors["url"] = ["url is required, at most 2048 characters."];
        }
        else if (await targets.RejectionAsync(body.Url, cancellationToken) is { } rejection)
        {
            errors["url"] = [rejection];
        }

        if (body.Events is not { Length: > 0 } events || events.Any(e => !WebhookEvents.All.Contains(e)))
        {
            errors["events"] = [$"events must name one or more of: {string.Join(", ", WebhookEvents.All)}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var normalized = body with { Events = [.. body.Events!.Distinct().Order(StringComparer.Ordinal)] };
        var hash = CanonicalJson.Hash(normalized);
        var outcome = await IdempotentCreation.CheckAsync(db, idempotencyKey, CreateOperation, hash, cancellationToken);
        if (outcome is IdempotencyOutcome.New)
        {
            var secret = WebhookSecretRotation.NewSecret();
            var subscription = new WebhookSubscription
            {
                Id = Guid.CreateVersion7(),
                Url = normalized.Url!,
                Events = normalized.Events!,
                SecretEncrypted = secrets.Protect(secret),
                CreatedAt = DateTimeOffset.UtcNow,
            };
            db.WebhookSubscriptions.Add(subscription);
            outcome = await IdempotentCreation.SaveAsync(db, idempotencyKey, CreateOperation, hash, subscription.Id, cancellationToken);
            if (outcome is IdempotencyOutcome.New)
            {
                return Created(request, subscription, secret);
            }
        }
        if (outcome is IdempotencyOutcome.Replay replay
            && await db.WebhookSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == replay.ResourceId, cancellationToken) is { } existing)
        {
            return Created(request, existing, secrets.Unprotect(existing.SecretEncrypted));
        }

        return outcome is IdempotencyOutcome.KeyReused ? KeyReused() : NotFound();
    }

    public static async Task<Ok<WebhookSubscriptionResponse[]>> ListSubscriptions(SaasDbContext db, CancellationToken cancellationToken)
        => TypedResults.Ok(await db.WebhookSubscriptions.AsNoTracking().OrderBy(s => s.CreatedAt).ThenBy(s => s.Id)
            .Select(ToResponse)
            .ToArrayAsync(cancellationToken));

    public static async Task<Results<Ok<WebhookSubscriptionResponse>, ProblemHttpResult>> GetSubscription(Guid id, SaasDbContext db, CancellationToken cancellationToken)
        => await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Id == id).Select(ToResponse).SingleOrDefaultAsync(cancellationToken) is { } subscription
            ? TypedResults.Ok(subscription)
            : NotFound();

    private static readonly System.Linq.Expressions.Expression<Func<WebhookSubscription, WebhookSubscriptionResponse>> ToResponse =
        s => new WebhookSubscriptionResponse(s.Id, s.Url, s.Events, s.Status, s.DisabledReason, s.DisabledAt, s.PreviousSecretExpiresAt, s.CreatedAt);

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteSubscription(Guid id, SaasDbContext db, CancellationToken cancellationToken)
        => await db.WebhookSubscriptions.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken) == 0 ? NotFound() : TypedResults.NoContent();

    private static Created<CreatedWebhookSubscription> Created(HttpRequest request, WebhookSubscription subscription, string secret)
        => TypedResults.Created($"{request.PathBase}{request.Path.Value!.TrimEnd('/')}/{subscription.Id}",
            new CreatedWebhookSubscription(subscription.Id, secret, subscription.Url, subscription.Events));

    internal static ProblemHttpResult KeyReused()
        => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
            detail: $"This {IdempotentCreation.Header} was already used for a different request.",
            extensions: new Dictionary<string, object?> { ["code"] = "idempotency_key_reused" });

    internal static ProblemHttpResult NotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: "Webhook subscription not found.",
            extensions: new Dictionary<string, object?> { ["code"] = "webhook_subscription_not_found" });
}
