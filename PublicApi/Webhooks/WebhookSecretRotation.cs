using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasAssistants.Database;
using SaasAssistants.Database.Secrets;
using SaasAssistants.PublicApi.Authentication;

namespace SaasAssistants.PublicApi.Webhooks;

/// <summary>
/// Secret rotation without a gap: the new secret signs at once, and the previous one keeps signing next to it (both
/// signatures in webhook-signature, space-separated, as Standard Webhooks allows) until the overlap ends, so a receiver
/// can switch secrets whenever it likes within that time.
/// </summary>
public static class WebhookSecretRotation
{
    public static void MapWebhookSecretRotation(this RouteGroupBuilder api)
        => api.MapPost("/{id:guid}/rotate-secret", RotateSecret).WithName("RotateWebhookSecret").RequireScope(ApiScopes.WebhooksWrite)
            .WithSummary("Issues a new signing secret (shown once); the previous one keeps signing too until previousSecretExpiresAt.")
            .ProducesProblem(StatusCodes.Status404NotFound);

    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static async Task<Results<Ok<RotatedWebhookSecret>, ProblemHttpResult>> RotateSecret(
        Guid id, SaasDbContext db, SecretProtector secrets, IOptions<WebhookApiOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return WebhooksApi.NotFound();
        }
        var secret = NewSecret();
        var expiresAt = time.GetUtcNow() + options.Value.SecretOverlap;
        // A second rotation within the overlap drops the oldest secret: only the two newest ever sign.
        subscription.PreviousSecretEncrypted = subscription.SecretEncrypted;
        subscription.PreviousSecretExpiresAt = expiresAt;
        subscription.SecretEncrypted = secrets.Protect(secret);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new RotatedWebhookSecret(subscription.Id, secret, expiresAt));
    }
}
