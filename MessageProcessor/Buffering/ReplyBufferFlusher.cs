using Microsoft.Extensions.Options;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.MessageProcessor.Replies;
using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.MessageProcessor.Buffering;

/// <summary>
/// Runs on every instance: sleeps until the earliest conversation in <see cref="ReplyBuffer"/> is due (or its
/// <see cref="FlushAlarm"/> rings), claims the due ones and flushes each into one
/// <c>ai.reply</c> task (<see cref="ReplyTasks"/>), then completes the claim. Now and then it also asks PostgreSQL
/// for unanswered messages that no schedule covers any more and schedules them again, so not even a Redis that lost
/// its data loses a reply. A Redis or database failure is logged and retried; it never stops the loop.
/// </summary>
public sealed partial class ReplyBufferFlusher(
    ReplyBuffer buffer,
    FlushAlarm alarm,
    TaskWakeUp taskWakeUp,
    IServiceScopeFactory scopes,
    NpgsqlDataSource dataSource,
    IOptions<ReplyBufferOptions> options,
    TimeProvider clock,
    ILogger<ReplyBufferFlusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        var nextSweep = clock.GetUtcNow() + options.Value.SweepInterval;
        var concurrency = options.Value.FlushConcurrency;
        // Flushes run as slots free up, not batch by batch: waiting for a whole batch's slowest flush before claiming
        // again left conversations that fell due meanwhile waiting too (bench figure (a): p99 about a second late).
        using var slots = new SemaphoreSlim(concurrency, concurrency);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await slots.WaitAsync(stoppingToken);
                    slots.Release();
                    // Claim only what can start at once: a claimed conversation waiting in memory would be late, and
                    // hidden from the other instances by its lease.
                    var wanted = Math.Min(slots.CurrentCount, options.Value.BatchSize);
                    var claim = await buffer.ClaimDueAsync(wanted);
                    foreach (var conversation in claim.Conversations)
                    {
                        await slots.WaitAsync(stoppingToken);
                        // Conversations are independent (each flush locks only its own row): many fall due together at peaks.
                        _ = FlushInSlotAsync(conversation, claim.LeaseEnd, slots, stoppingToken);
                    }

                    if (clock.GetUtcNow() >= nextSweep)
                    {
                        await SweepAsync(stoppingToken);
                        nextSweep = clock.GetUtcNow() + options.Value.SweepInterval;
                    }

                    failures = 0;
                    // As many as asked for means more may be due now. Otherwise nothing is due until the schedule's
                    // earliest score: sleep until then (a fixed poll made every flush up to one interval late), unless
                    // this instance schedules something sooner meanwhile.
                    if (claim.Conversations.Count < wanted)
                    {
                        var latest = clock.GetUtcNow() + options.Value.PollInterval;
                        alarm.Arm(latest);
                        var wakeAt = await buffer.NextDueAsync() is { } next && next < latest ? next : latest;
                        await alarm.SleepUntilAsync(wakeAt, clock, stoppingToken);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    LogPollFailed(ex);
                    try
                    {
                        await Task.Delay(Backoff.Reconnect(++failures), clock, stoppingToken);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            // Let the flushes in progress end (they see the stopping token) before the scope's services go away.
            for (var i = 0; i < concurrency; i++)
            {
                await slots.WaitAsync(CancellationToken.None);
            }
        }
    }

    private async Task FlushInSlotAsync(ConversationKey conversation, long leaseEnd, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await FlushAsync(conversation, leaseEnd, stoppingToken);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task FlushAsync(ConversationKey conversation, long leaseEnd, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(conversation.TenantId);
            var flush = await scope.ServiceProvider.GetRequiredService<ReplyTasks>().FlushIfQuietAsync(conversation.ConversationId, stoppingToken);
            if (flush.NotQuietUntil is { } quietAt)
            {
                // A message stored just now whose own timer has not landed yet: wait for it, as its handler would.
                await buffer.RescheduleIfClaimedAsync(conversation, leaseEnd, quietAt);
                return;
            }

            await buffer.CompleteAsync(conversation, leaseEnd);
            if (flush.TaskId is { } id)
            {
                // Committed: this instance's claim loop can start it without waiting for the TaskQueued round trip.
                taskWakeUp.Wake();
                LogFlushed(conversation.ConversationId, conversation.TenantId, id);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The claim's lease runs out and the conversation comes back, here or on another instance.
            LogFlushFailed(ex, conversation.ConversationId, conversation.TenantId);
        }
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        await using var command = dataSource.CreateCommand("SELECT tenant_id, conversation_id FROM conversations_awaiting_reply($1, 500)");
        command.Parameters.AddWithValue(options.Value.SweepAge);
        var found = new List<ConversationKey>();
        await using (var reader = await command.ExecuteReaderAsync(stoppingToken))
        {
            while (await reader.ReadAsync(stoppingToken))
            {
                found.Add(new ConversationKey(reader.GetGuid(0), reader.GetGuid(1)));
            }
        }
        foreach (var conversation in found)
        {
            // Only where nothing is scheduled: a conversation in a live burst keeps its timer.
            if (await buffer.DueAtAsync(conversation) is null)
            {
                await buffer.ScheduleAsync(conversation, TimeSpan.Zero);
                LogRescheduled(conversation.ConversationId, conversation.TenantId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Flushed conversation {ConversationId} of tenant {TenantId} into reply task {TaskId}")]
    private partial void LogFlushed(Guid conversationId, Guid tenantId, Guid taskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flushing conversation {ConversationId} of tenant {TenantId} failed; it comes back when its claim ends")]
    private partial void LogFlushFailed(Exception ex, Guid conversationId, Guid tenantId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply buffer poll failed; retrying")]
    private partial void LogPollFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {ConversationId} of tenant {TenantId} had unanswered messages and no schedule; rescheduled")]
    private partial void LogRescheduled(Guid conversationId, Guid tenantId);
}
