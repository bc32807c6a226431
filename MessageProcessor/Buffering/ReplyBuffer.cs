using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace SaasAssistants.MessageProcessor.Buffering;

/// <summary>
/// The per-conversation debounce of seed 002, in one Redis sorted set shared by every instance: member = conversation,
/// score = when it is due (ms since the epoch). Each new message re-adds the member with a later score (the timer
/// resets); every instance's flusher sleeps until the earliest score (its <see cref="FlushAlarm"/> rings sooner when this
/// instance schedules an earlier one) and claims the due members with a Lua script that, atomically, pushes their score
/// out by a lease. A claimer that completes removes the member only if nobody rescheduled it meanwhile; a claimer that
/// dies leaves it to reappear when the lease ends, so a pending flush survives a crash. PostgreSQL stays the truth
/// of what is unanswered (messages.task_id); this set only says when to look.
/// The key is not under <c>tenant:{id}:</c> because it is one schedule across tenants; its members carry the tenant.
/// </summary>
public sealed class ReplyBuffer(IConnectionMultiplexer redis, FlushAlarm alarm, IOptions<ReplyBufferOptions> options, TimeProvider clock)
{
    // KEYS[1] the set; ARGV: now, batch size, lease end. Returns the members claimed.
    private static readonly LuaScript ClaimScript = LuaScript.Prepare("""
        local due = redis.call('ZRANGEBYSCORE', @key, '-inf', @now, 'LIMIT', 0, @batch)
        for _, member in ipairs(due) do
            redis.call('ZADD', @key, @leaseEnd, member)
        end
        return due
        """);

    // Removes the member only while it still carries this claim's lease: a message that arrived during the flush
    // rescheduled it, and that schedule must stand.
    private static readonly LuaScript CompleteScript = LuaScript.Prepare("""
        local score = redis.call('ZSCORE', @key, @member)
        if score and tonumber(score) == tonumber(@leaseEnd) then
            return redis.call('ZREM', @key, @member)
        end
        return 0
        """);

    /// <summary>(Re)starts the conversation's timer: it becomes due <paramref name="delay"/> from now.</summary>
    public Task ScheduleAsync(ConversationKey conversation, TimeSpan delay) => ScheduleAsync(conversation, clock.GetUtcNow() + delay);

    /// <summary>
    /// (Re)starts the conversation's timer so that it becomes due at <paramref name="dueAt"/>: a message's handler passes
    /// the message's stored time plus the timeout, so the time the handler itself took does not delay the flush.
    /// </summary>
    public async Task ScheduleAsync(ConversationKey conversation, DateTimeOffset dueAt)
    {
        await redis.GetDatabase().SortedSetAddAsync(options.Value.Key, conversation.ToString(), ToScore(dueAt));
        alarm.Due(dueAt);
    }

    /// <summary>When the earliest conversation in the schedule is due (or its claim's lease ends); null when there is none.</summary>
    public async Task<DateTimeOffset?> NextDueAsync()
    {
        var first = await redis.GetDatabase().SortedSetRangeByRankWithScoresAsync(options.Value.Key, 0, 0);
        return first.Length == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)first[0].Score);
    }

    /// <summary>Claims up to a batch of due conversations for this instance; the claim lasts <see cref="ReplyBufferOptions.ClaimLease"/>.</summary>
    public Task<BufferClaim> ClaimDueAsync() => ClaimDueAsync(options.Value.BatchSize);

    /// <summary>Claims up to <paramref name="batchSize"/> due conversations, earliest due first.</summary>
    public async Task<BufferClaim> ClaimDueAsync(int batchSize)
    {
        var now = clock.GetUtcNow();
        var leaseEnd = ToScore(now + options.Value.ClaimLease);
        var result = await redis.GetDatabase().ScriptEvaluateAsync(ClaimScript,
            new { key = (RedisKey)options.Value.Key, now = ToScore(now), batch = batchSize, leaseEnd });
        var members = (RedisResult[]?)result ?? [];
        var keys = new List<ConversationKey>(members.Length);
        foreach (var member in members)
        {
            if (ConversationKey.TryParse((string?)member, out var key))
            {
                keys.Add(key);
            }
        }
        return new BufferClaim(keys, leaseEnd);
    }

    // Moves the member to a new due time only while it still carries this claim's lease: a newer schedule stands.
    private static readonly LuaScript RescheduleScript = LuaScript.Prepare("""
        local score = redis.call('ZSCORE', @key, @member)
        if score and tonumber(score) == tonumber(@leaseEnd) then
            return redis.call('ZADD', @key, @dueAt, @member)
        end
        return 0
        """);

    /// <summary>A claimed conversation is not due after all: it becomes due at <paramref name="dueAt"/>, unless rescheduled meanwhile.</summary>
    public async Task RescheduleIfClaimedAsync(ConversationKey conversation, long leaseEnd, DateTimeOffset dueAt)
    {
        await redis.GetDatabase().ScriptEvaluateAsync(RescheduleScript,
            new { key = (RedisKey)options.Value.Key, member = conversation.ToString(), leaseEnd, dueAt = ToScore(dueAt) });
        alarm.Due(dueAt);
    }

    /// <summary>The flush of a claimed conversation is durable: forget it, unless a new message rescheduled it.</summary>
    public Task CompleteAsync(ConversationKey conversation, long leaseEnd)
        => redis.GetDatabase().ScriptEvaluateAsync(CompleteScript, new { key = (RedisKey)options.Value.Key, member = conversation.ToString(), leaseEnd });

    public async Task<DateTimeOffset?> DueAtAsync(ConversationKey conversation)
        => await redis.GetDatabase().SortedSetScoreAsync(options.Value.Key, conversation.ToString()) is { } score
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)score)
            : null;

    private static long ToScore(DateTimeOffset at) => at.ToUnixTimeMilliseconds();
}

/// <summary>Conversations this instance claimed, and the lease score they carry while it flushes them.</summary>
public sealed record BufferClaim(IReadOnlyList<ConversationKey> Conversations, long LeaseEnd);
