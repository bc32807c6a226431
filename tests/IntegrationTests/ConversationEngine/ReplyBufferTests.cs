using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.MessageProcessor.Buffering;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.ConversationEngine;

/// <summary>The Redis side of the buffer against the real server: timers, exclusive claims, leases that survive a crash.</summary>
public sealed class ReplyBufferTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private readonly List<EngineHost> _hosts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        return Task.CompletedTask;
    }

    private async Task<ReplyBuffer> BufferAsync(string key, string lease = "00:00:15")
    {
        var host = await EngineHost.CreateAsync(database, new Dictionary<string, string?> { ["Buffering:Key"] = key, ["Buffering:ClaimLease"] = lease });
        _hosts.Add(host);
        return host.Services.GetRequiredService<ReplyBuffer>();
    }

    private static ConversationKey NewConversation() => new(Guid.CreateVersion7(), Guid.CreateVersion7());

    [Fact]
    public async Task A_conversation_is_not_claimed_before_it_is_due()
    {
        var buffer = await BufferAsync("test:" + Guid.NewGuid());
        var conversation = NewConversation();

        await buffer.ScheduleAsync(conversation, TimeSpan.FromSeconds(30));

        Assert.Empty((await buffer.ClaimDueAsync()).Conversations);
    }

    [Fact]
    public async Task Four_instances_claiming_at_once_share_the_due_conversations_without_overlap()
    {
        var key = "test:" + Guid.NewGuid();
        var instances = new List<ReplyBuffer>();
        for (var i = 0; i < 4; i++)
        {
            instances.Add(await BufferAsync(key));
        }

        var due = Enumerable.Range(0, 500).Select(_ => NewConversation()).ToList();
        foreach (var conversation in due)
        {
            await instances[0].ScheduleAsync(conversation, TimeSpan.Zero);
        }

        var claimed = new ConcurrentBag<ConversationKey>();
        await Task.WhenAll(instances.Select(async buffer =>
        {
            while ((await buffer.ClaimDueAsync()).Conversations is { Count: > 0 } batch)
            {
                foreach (var conversation in batch)
                {
                    claimed.Add(conversation);
                }
            }
        }));

        Assert.Equal(due.Count, claimed.Count);
        Assert.Equal(due.ToHashSet(), claimed.ToHashSet());
    }

    [Fact]
    public async Task A_claim_that_is_never_completed_comes_back_when_its_lease_ends()
    {
        // The claimer "crashed": it never completes. Another instance must get the conversation after the lease.
        var key = "test:" + Guid.NewGuid();
        var crashed = await BufferAsync(key, lease: "00:00:00.300");
        var survivor = await BufferAsync(key, lease: "00:00:00.300");
        var conversation = NewConversation();
        await crashed.ScheduleAsync(conversation, TimeSpan.Zero);
        Assert.Equal([conversation], (await crashed.ClaimDueAsync()).Conversations);

        Assert.Empty((await survivor.ClaimDueAsync()).Conversations);
        var reclaimed = await Wait.ForAsync(async () => (await survivor.ClaimDueAsync()).Conversations, c => c.Count > 0, TimeSpan.FromSeconds(5));

        Assert.Equal([conversation], reclaimed);
    }

    [Fact]
    public async Task Completing_removes_the_conversation_unless_a_new_message_rescheduled_it()
    {
        var buffer = await BufferAsync("test:" + Guid.NewGuid());
        var quiet = NewConversation();
        var busy = NewConversation();
        await buffer.ScheduleAsync(quiet, TimeSpan.Zero);
        await buffer.ScheduleAsync(busy, TimeSpan.Zero);
        var claim = await buffer.ClaimDueAsync();
        Assert.Equal(2, claim.Conversations.Count);

        // A message for `busy` arrives while the claimer flushes.
        await buffer.ScheduleAsync(busy, TimeSpan.FromSeconds(3));
        await buffer.CompleteAsync(quiet, claim.LeaseEnd);
        await buffer.CompleteAsync(busy, claim.LeaseEnd);

        Assert.Null(await buffer.DueAtAsync(quiet));
        Assert.NotNull(await buffer.DueAtAsync(busy));
    }
}
