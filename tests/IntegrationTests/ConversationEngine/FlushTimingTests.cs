using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SaasAssistants.Contracts.Events;
using SaasAssistants.IntegrationTests.MessageProcessor;
using SaasAssistants.MessageProcessor.Buffering;
using SaasAssistants.MessageProcessor.Conversations;
using SaasAssistants.MessageProcessor.Tasks;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.ConversationEngine;

/// <summary>
/// What starts a flush and a reply task on time, with every poll set to minutes so that only the paths under test can
/// make the deadlines: the flusher sleeps until the schedule's earliest due time and its instance's new schedules ring
/// it, and a handler that commits a reply task wakes its own claim loop without the TaskQueued round trip (these hosts
/// reach no broker at all).
/// </summary>
public sealed class FlushTimingTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string SlowPoll = "00:05:00";

    private static string Visitor() => "visitor-" + Guid.NewGuid().ToString("N")[..8];

    private static async Task HandleAsync(EngineHost host, InboundMessageReceived evt)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<InboundMessageHandler>().HandleAsync(evt, CancellationToken.None);
    }

    private static T Hosted<T>(EngineHost host) => host.Services.GetServices<IHostedService>().OfType<T>().Single();

    [Fact]
    public async Task A_message_handled_while_the_flusher_sleeps_rings_it_and_is_flushed_when_due()
    {
        // A long lease as well: after a flush the flusher's earliest score is its own claim's lease end.
        using var host = await EngineHost.CreateAsync(database,
            new Dictionary<string, string?> { ["Buffering:PollInterval"] = SlowPoll, ["Buffering:ClaimLease"] = SlowPoll });
        var tenant = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Alarm Bakery", bufferTimeoutMs: 300);
        var rows = new StoredRows(database.OwnerConnectionString, tenant.TenantId);
        var flusher = Hosted<ReplyBufferFlusher>(host);
        await flusher.StartAsync(CancellationToken.None);
        try
        {
            await HandleAsync(host, tenant.Inbound(Visitor(), "Oi, vocês abrem domingo?"));
            await Wait.ForAsync(() => rows.TasksAsync("ai.reply"), tasks => tasks.Count == 1, TimeSpan.FromSeconds(30), "the first flush");

            // Now the flusher has certainly looked at the schedule and sleeps for minutes: only the ring wakes it.
            await HandleAsync(host, tenant.Inbound(Visitor(), "Tem bolo de fubá?"));

            await Wait.ForAsync(() => rows.TasksAsync("ai.reply"), tasks => tasks.Count == 2, TimeSpan.FromSeconds(30), "the second flush");
            var messages = await rows.MessagesAsync();
            Assert.Equal(2, messages.Count);
            Assert.All(messages, m => Assert.NotNull(m.TaskId));
        }
        finally
        {
            await flusher.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_conversation_scheduled_by_another_instance_is_flushed_when_due_by_the_flusher_that_saw_it_in_the_schedule()
    {
        var settings = new Dictionary<string, string?> { ["Buffering:PollInterval"] = SlowPoll };
        using var other = await EngineHost.CreateAsync(database, settings);
        settings["Buffering:Key"] = other.BufferKey;
        using var host = await EngineHost.CreateAsync(database, settings);
        var tenant = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Shared Schedule Bakery", bufferTimeoutMs: 3000);
        var rows = new StoredRows(database.OwnerConnectionString, tenant.TenantId);

        // Stored and scheduled by the other instance, whose flusher is not running (as if it had died).
        await HandleAsync(other, tenant.Inbound(Visitor(), "Tem pão de queijo?"));
        var message = Assert.Single(await rows.MessagesAsync());
        var due = await other.Services.GetRequiredService<ReplyBuffer>().DueAtAsync(new ConversationKey(tenant.TenantId, message.ConversationId));
        Assert.Equal(message.CreatedAt.AddMilliseconds(3000).ToUnixTimeMilliseconds(), due?.ToUnixTimeMilliseconds());

        var flusher = Hosted<ReplyBufferFlusher>(host);
        await flusher.StartAsync(CancellationToken.None);
        try
        {
            // Nothing rings this flusher: it finds the due time in the shared schedule and sleeps exactly until then.
            var task = await Wait.ForAsync(() => rows.TasksAsync("ai.reply"), tasks => tasks.Count == 1, TimeSpan.FromSeconds(30), "the flush");
            Assert.Equal(task[0].Id, Assert.Single(await rows.MessagesAsync()).TaskId);
        }
        finally
        {
            await flusher.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_reply_task_committed_by_the_handler_is_claimed_at_once_by_its_own_instance_without_the_bus()
    {
        using var host = await EngineHost.CreateAsync(database, new Dictionary<string, string?> { ["Tasks:PollInterval"] = SlowPoll });
        var tenant = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Wake Bakery", bufferTimeoutMs: 0);
        var rows = new StoredRows(database.OwnerConnectionString, tenant.TenantId);
        var worker = Hosted<TaskWorker>(host);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            // A first reply, so the worker has certainly made its start-up claim and sleeps: from then on only a
            // wake-up can start a task within the test's time, and this host reaches no broker for TaskQueued.
            await HandleAsync(host, tenant.Inbound(Visitor(), "Olá"));
            await Wait.ForAsync(() => rows.TasksAsync("ai.reply"), tasks => tasks is [{ Status: "Succeeded" }], TimeSpan.FromSeconds(30), "the first reply");

            await HandleAsync(host, tenant.Inbound(Visitor(), "Vocês entregam?"));

            await Wait.ForAsync(() => rows.TasksAsync("ai.reply"), tasks => tasks.Count == 2 && tasks.All(t => t.Status == "Succeeded"),
                TimeSpan.FromSeconds(30), "the second reply, started by the handler's wake-up");
            Assert.Equal(2, (await rows.MessagesAsync()).Count(m => m.Direction == "outbound"));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }
}
