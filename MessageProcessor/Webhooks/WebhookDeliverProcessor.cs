using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SaasAssistants.Contracts.Events.Webhooks;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Secrets;
using SaasAssistants.Database.Webhooks;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.MessageProcessor.Webhooks;

/// <summary>
/// <c>webhook.deliver</c>: POSTs one delivery's body to its subscription's URL, signed per Standard Webhooks with the
/// same <c>webhook-id</c> on every attempt. A 2xx is delivered; anything else is retried by the task engine (backoff
/// from <c>Tasks:RetryPolicies:webhook.deliver</c>) until the delivery's retry window ends. Every attempt is written
/// to the delivery log before the attempt ends. 410 Gone, or a subscription failing for too long or too often,
/// disables the subscription with a reason and a <see cref="WebhookSubscriptionDisabled"/> event for the tenant.
/// </summary>
public sealed partial class WebhookDeliverProcessor(
    WebhookHttpClient client, SecretProtector secrets, IOptions<WebhookDeliveryOptions> options, IOptions<TaskEngineOptions> engineOptions,
    TimeProvider time, ILogger<WebhookDeliverProcessor> logger) : ITaskProcessor
{
    private readonly TaskRetryOptions _retryPolicy = engineOptions.Value.RetryPolicies.GetValueOrDefault(WebhookDeliveryTasks.TaskType)
        ?? WebhookRetryWindow.DefaultPolicy;

    public string Type => WebhookDeliveryTasks.TaskType;

    public IReadOnlyList<TaskPayloadError> Validate(JsonElement payload)
    {
        var errors = new List<TaskPayloadError>();
        if (payload.ValueKind != JsonValueKind.Object
            || !payload.TryGetProperty("deliveryId", out var deliveryId) || !deliveryId.TryGetGuid(out _))
        {
            errors.Add(new TaskPayloadError("payload.deliveryId", "deliveryId must be the delivery's id."));
        }
        if (payload.ValueKind != JsonValueKind.Object
            || !payload.TryGetProperty("retryUntil", out var retryUntil) || !retryUntil.TryGetDateTimeOffset(out _))
        {
            errors.Add(new TaskPayloadError("payload.retryUntil", "retryUntil must be a date and time."));
        }
        return errors;
    }

    public async Task<TaskResult> ProcessAsync(TaskExecution context, CancellationToken cancellationToken)
    {
        var payload = context.Payload.Deserialize<WebhookDeliveryPayload>(JsonSerializerOptions.Web)!;
        var db = context.Services.GetRequiredService<SaasDbContext>();
        var delivery = await db.WebhookDeliveries.AsNoTracking().SingleOrDefaultAsync(d => d.Id == payload.DeliveryId, cancellationToken)
            ?? throw new WebhookDeliveryException(WebhookDeliveryException.DeliveryNotFound, false,
                $"Delivery {payload.DeliveryId} does not exist (its subscription was deleted).");
        var subscription = await db.WebhookSubscriptions.AsNoTracking().SingleAsync(s => s.Id == delivery.SubscriptionId, cancellationToken);
        var startedAt = time.GetUtcNow();
        if (subscription.Status != "active")
        {
            var disabled = new WebhookDeliveryException(WebhookDeliveryException.SubscriptionDisabled, false,
                $"The subscription is disabled ({subscription.DisabledReason}); nothing was sent.");
            await RecordAsync(db, context, delivery, subscription, startedAt, TimeSpan.Zero, null, disabled, cancellationToken);
            throw disabled;
        }

        var (statusCode, failure, elapsed) = await SendAsync(delivery, subscription, context.Attempt, payload.RetryUntil, cancellationToken);
        await RecordAsync(db, context, delivery, subscription, startedAt, elapsed, statusCode, failure, cancellationToken);
        if (failure is not null)
        {
            throw failure;
        }
        LogDelivered(delivery.Id, subscription.Id, context.TenantId, statusCode!.Value, context.Attempt);
        return new TaskResult([TaskOutput.Json(JsonSerializer.Serialize(new { statusCode, durationMs = (int)elapsed.TotalMilliseconds }))]);
    }

    public TaskFailure ClassifyFailure(Exception exception) => exception switch
    {
        WebhookDeliveryException failure => new TaskFailure(failure.ErrorCode, failure.IsRetryable, failure.Message, failure.RetryAfter),
        _ => TaskFailure.Unexpected(exception),
    };

    /// <returns>The receiver's status code (null when none came) and, unless it was a 2xx, the failure to report.</returns>
    private async Task<(int? StatusCode, WebhookDeliveryException? Failure, TimeSpan Elapsed)> SendAsync(
        WebhookDelivery delivery, WebhookSubscription subscription, int attempt, DateTimeOffset retryUntil, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // The retry window is the delivery's, not this attempt's: a retry that could land past it is not made.
        bool CanRetry(TimeSpan? retryAfter = null) => WebhookRetryWindow.AllowsRetry(time.GetUtcNow(), attempt, retryUntil, retryAfter, _retryPolicy);
        var signingSecrets = new List<string> { secrets.Unprotect(subscription.SecretEncrypted) };
        if (subscription.PreviousSecretEncrypted is { } previous && subscription.PreviousSecretExpiresAt > now)
        {
            signingSecrets.Add(secrets.Unprotect(previous));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.MessageId);
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignatures.Header(delivery.MessageId, now, delivery.Body, signingSecrets));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("SaasAssistants-Webhooks", "1.0"));

        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return (status, null, stopwatch.Elapsed);
            }
            if (response.StatusCode == HttpStatusCode.Gone)
            {
                return (status, new WebhookDeliveryException(WebhookDeliveryException.Gone, false,
                    "The receiver answered 410 Gone: the subscription is disabled."), stopwatch.Elapsed);
            }
            var retryAfter = response.Headers.RetryAfter is { } header
                ? header.Delta ?? (header.Date is { } date ? date - now : null)
                : null;
            return (status, new WebhookDeliveryException(WebhookDeliveryException.ReceiverError, CanRetry(retryAfter),
                $"The receiver answered {status} {response.ReasonPhrase}.", retryAfter), stopwatch.Elapsed);
        }
        catch (HttpRequestException exception) when (FindRefusal(exception) is { } refusal)
        {
            return (null, new WebhookDeliveryException(WebhookDeliveryException.TargetRefused, false, refusal.Message), stopwatch.Elapsed);
        }
        catch (HttpRequestException exception)
        {
            return (null, new WebhookDeliveryException(WebhookDeliveryException.Unreachable, CanRetry(),
                $"No answer from the receiver: {exception.Message}"), stopwatch.Elapsed);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new WebhookDeliveryException(WebhookDeliveryException.Timeout, CanRetry(),
                $"The receiver did not answer within {options.Value.Timeout.TotalSeconds:0} s."), stopwatch.Elapsed);
        }
    }

    private static WebhookTargetRefusedException? FindRefusal(Exception exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is WebhookTargetRefusedException refusal)
            {
                return refusal;
            }
        }
        return null;
    }

    /// <summary>
    /// The attempt's log row and the subscription's failure count, in one transaction; on a failure that should disable
    /// the subscription, the disabling and the tenant's notice too. Counters move in SQL, since deliveries of one
    /// subscription run concurrently.
    /// </summary>
    private async Task RecordAsync(SaasDbContext db, TaskExecution context, WebhookDelivery delivery, WebhookSubscription subscription,
        DateTimeOffset startedAt, TimeSpan elapsed, int? statusCode, WebhookDeliveryException? failure, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.WebhookDeliveryAttempts.Add(new WebhookDeliveryAttempt
        {
            Id = Guid.CreateVersion7(startedAt),
            DeliveryId = delivery.Id,
            TaskId = context.TaskId,
            AttemptNo = context.Attempt,
            StartedAt = startedAt,
            DurationMs = (int)Math.Round(elapsed.TotalMilliseconds),
            StatusCode = statusCode,
            Succeeded = failure is null,
            Error = failure is null ? null : $"{failure.ErrorCode}: {failure.Message}",
        });
        await db.SaveChangesAsync(cancellationToken);

        if (failure is null)
        {
            await db.WebhookSubscriptions.Where(s => s.Id == subscription.Id && s.ConsecutiveFailures > 0)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ConsecutiveFailures, 0).SetProperty(x => x.FailingSince, (DateTimeOffset?)null), cancellationToken);
        }
        else if (failure.ErrorCode != WebhookDeliveryException.SubscriptionDisabled)
        {
            var run = (await db.Database.SqlQuery<FailureRun>($"""
                UPDATE webhook_subscriptions
                SET consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, {now})
                WHERE id = {subscription.Id}
                RETURNING consecutive_failures AS "ConsecutiveFailures", failing_since AS "FailingSince"
                """).ToListAsync(cancellationToken)).Single();
            var settings = options.Value;
            // This delivery's last attempt (its window or its attempts used up), and every attempt since its first
            // failed, with no success of any other delivery in between: the endpoint failed for the whole window.
            var exhausted = failure.ErrorCode is WebhookDeliveryException.ReceiverError or WebhookDeliveryException.Unreachable or WebhookDeliveryException.Timeout
                && (!failure.IsRetryable || context.Attempt >= context.MaxAttempts);
            var reason = failure.ErrorCode == WebhookDeliveryException.Gone ? "The endpoint answered 410 Gone."
                : run.ConsecutiveFailures >= settings.DisableAfterConsecutiveFailures ? $"{run.ConsecutiveFailures} consecutive deliveries failed."
                : now - run.FailingSince >= settings.DisableAfterFailingFor ? $"Every delivery has failed since {run.FailingSince:O}."
                : exhausted && run.ConsecutiveFailures >= context.Attempt
                    ? $"A delivery failed on all its {context.Attempt} attempts, over its retry window, and nothing was delivered since {run.FailingSince:O}."
                : null;
            if (reason is not null)
            {
                await DisableAsync(db, context, subscription, reason, now, cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task DisableAsync(SaasDbContext db, TaskExecution context, WebhookSubscription subscription, string reason,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Only the attempt that flips it tells the tenant: concurrent failures of the same subscription find it disabled.
        var flipped = await db.WebhookSubscriptions.Where(s => s.Id == subscription.Id && s.Status == "active")
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, "disabled").SetProperty(x => x.DisabledReason, reason)
                .SetProperty(x => x.DisabledAt, now), cancellationToken);
        if (flipped == 0)
        {
            return;
        }
        db.AddIntegrationEvent(new WebhookSubscriptionDisabled
        {
            TenantId = context.TenantId,
            SubscriptionId = subscription.Id,
            Url = subscription.Url,
            Reason = reason,
            DisabledAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        LogDisabled(subscription.Id, context.TenantId, reason);
    }

    private sealed class FailureRun
    {
        public int ConsecutiveFailures { get; init; }

        public DateTimeOffset? FailingSince { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered webhook {DeliveryId} of subscription {SubscriptionId} (tenant {TenantId}): {StatusCode} on attempt {Attempt}")]
    private partial void LogDelivered(Guid deliveryId, Guid subscriptionId, Guid tenantId, int statusCode, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disabled webhook subscription {SubscriptionId} of tenant {TenantId}: {Reason}")]
    private partial void LogDisabled(Guid subscriptionId, Guid tenantId, string reason);
}
