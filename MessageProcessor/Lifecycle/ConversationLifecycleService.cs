using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.Conversations;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.MessageProcessor.Replies;

namespace SaasAssistants.MessageProcessor.Lifecycle;

/// <summary>
/// The scheduled maintenance of seed 004: open conversations quiet for longer than their assistant's idle timeout
/// go IDLE_TIMEOUT, and past the expiry EXPIRED (closed; the next message opens a new conversation). Every instance
/// runs it; the changes go through the entity with optimistic locking, so two instances (or a customer's message
/// arriving at the same moment) never overwrite each other: the loser re-reads and decides again.
/// </summary>
public sealed partial class ConversationLifecycleService(
    IServiceScopeFactory scopes,
    NpgsqlDataSource dataSource,
    IOptions<ConversationLifecycleOptions> options,
    TimeProvider clock,
    ILogger<ConversationLifecycleService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(ex);
            }
            try
            {
                await Task.Delay(options.Value.Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: every conversation due for a transition, each in its tenant. Returns how many changed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var due = new List<(Guid Tenant, Guid Conversation)>();
        await using (var command = dataSource.CreateCommand("SELECT tenant_id, conversation_id FROM conversations_lifecycle_due($1)"))
        {
            command.Parameters.AddWithValue(options.Value.BatchSize);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add((reader.GetGuid(0), reader.GetGuid(1)));
            }
        }
        var changed = 0;
        foreach (var (tenantId, conversationId) in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
            var db = scope.ServiceProvider.GetRequiredService<SaasDbContext>();
            var timing = await db.Conversations.AsNoTracking().Where(c => c.Id == conversationId)
                .Select(c => new { Assistant = db.Assistants.Where(a => a.Id == c.AssistantId).Select(a => new { a.IdleTimeoutSeconds, a.ExpireAfterSeconds }).FirstOrDefault() })
                .SingleOrDefaultAsync(cancellationToken);
            var idle = TimeSpan.FromSeconds(timing?.Assistant?.IdleTimeoutSeconds ?? 1800);
            var expiry = TimeSpan.FromSeconds(timing?.Assistant?.ExpireAfterSeconds ?? 86400);
            var before = 0;
            var after = 0;
            await ConversationUpdates.ApplyAsync(db, conversationId, conversation =>
            {
                before = conversation.Version;
                Apply(conversation, idle, expiry, clock.GetUtcNow());
                after = conversation.Version;
            }, cancellationToken);
            if (after != before)
            {
                changed++;
            }
        }
        return changed;
    }

    /// <summary>The decision, on fresh data each time (a concurrent message may just have made it active again).</summary>
    public static void Apply(Conversation conversation, TimeSpan idleTimeout, TimeSpan expiry, DateTimeOffset now)
    {
        if (conversation.Status != "open")
        {
            return;
        }

        var quiet = now - conversation.LastMessageAt;
        if (quiet >= expiry)
        {
            conversation.MoveTo(ConversationState.Expired, now);
        }
        else if (quiet >= idleTimeout && conversation.State is ConversationState.Pending or ConversationState.Progress)
        {
            conversation.MoveTo(ConversationState.IdleTimeout, now);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation lifecycle round failed; retrying at the next interval")]
    private partial void LogRoundFailed(Exception ex);
}
