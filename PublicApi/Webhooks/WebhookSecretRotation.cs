using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasAssistants.Database;
using SaasAssistants.Database.Secrets;
using SaasAssistants.PublicApi.Authentication;
using SaasAssistants.PublicApi.Idempotency;

namespace SaasAssistants.PublicApi.Webhooks;

/// <summary>
/// Secret rotation without a gap: the new secret signs at once, and the previous one keeps signing next to it (both
/// signatures in webhook-signature, space-separated, as Standard Webhooks allows) until the overlap ends, so a receiver
/// can switch secrets whenever it likes within that time. With an Idempotency-Key, a retry answers with the secret the
/// first request issued (the current secret's id, <c>secret_id</c>, is the key's resource) and rotates nothing.
/// </summary>
public static class WebhookSecretRotation
{
    private const string RotateOperation = "webhooks.rotate-secret";

    public static void MapWebhookSecretRotation(this RouteGroupBuilder api)
        => api.MapPost("/{id:guid}/rotate-secret", RotateSecret).WithName("RotateWebhookSecret").RequireScope(ApiScopes.WebhooksWrite)
            .WithSummary("Issues a new signing secret (shown once); the previous one keeps signing too until previousSecretExpiresAt.")
            .WithDescription("Send an Idempotency-Key header so that a retry after a timeout answers with the same secret instead of rotating again.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static async Task<Results<Ok<RotatedWebhookSecret>, ValidationProblem, ProblemHttpResult>> RotateSecret(
        Guid id, [FromHeader(Name = IdempotentCreation.Header)] string? idempotencyKey, SaasDbContext db, SecretProtector secrets,
        IOptions<WebhookApiOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (IdempotentCreation.Validate(idempotencyKey) is { } keyErrors)
        {
            return TypedResults.ValidationProblem(keyErrors);
        }

        // The request has no body: which subscription it rotates is all there is to compare.
        var hash = CanonicalJson.Hash(new { subscriptionId = id });
        var outcome = await IdempotentCreation.CheckAsync(db, idempotencyKey, RotateOperation, hash, cancellationToken);
        if (outcome is IdempotencyOutcome.New)
        {
            var subscription = await db.WebhookSubscriptions.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
            if (subscription is null)
            {
                return WebhooksApi.NotFound();
            }
            var secret = NewSecret();
            var now = time.GetUtcNow();
            var expiresAt = now + options.Value.SecretOverlap;
            // In whole microseconds, as PostgreSQL keeps it, so that a retry's answer, read back, is the first one's.
            expiresAt = expiresAt.AddTicks(-(expiresAt.Ticks % 10));
            // A second rotation within the overlap drops the oldest secret: only the two newest ever sign.
            subscription.PreviousSecretEncrypted = subscription.SecretEncrypted;
            subscription.PreviousSecretExpiresAt = expiresAt;
            subscription.SecretEncrypted = secrets.Protect(secret);
            subscription.SecretId = Guid.CreateVersion7(now);
            outcome = await IdempotentCreation.SaveAsync(db, idempotencyKey, RotateOperation, hash, subscription.SecretId.Value, cancellationToken);
            if (outcome is IdempotencyOutcome.New)
            {
                return TypedResults.Ok(new RotatedWebhookSecret(subscription.Id, secret, expiresAt));
            }
        }

        if (outcome is not IdempotencyOutcome.Replay replay)
        {
            return WebhooksApi.KeyReused();
        }

        // A retry: the secret the key's rotation issued, while it is still the one that signs.
        var current = await db.WebhookSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (current is null)
        {
            return WebhooksApi.NotFound();
        }
        return current.SecretId == replay.ResourceId
            ? TypedResults.Ok(new RotatedWebhookSecret(current.Id, secrets.Unprotect(current.SecretEncrypted), current.PreviousSecretExpiresAt!.Value))
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                detail: $"The secret this {IdempotentCreation.Header} issued has since been replaced by another rotation; rotate again with a new key.",
                extensions: new Dictionary<string, object?> { ["code"] = "webhook_secret_rotated_again" });
    }
}
