using System.Diagnostics;
using SaasAssistants.Database.Tasks;
using SaasAssistants.IntegrationTests.AiProviders;
using SaasAssistants.IntegrationTests.TaskEngine.Support;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.TaskEngine;

/// <summary>
/// A worker that dies mid-task, for real: the MessageProcessor's build output runs as a child process (tests/Testing's
/// ServiceProcess), claims an ai.generate task whose provider never answers, and is killed with SIGKILL, so
/// nothing of it runs on the way down. Another worker must finish the task once the dead one's lease has expired.
/// </summary>
[Collection(TaskEngineCollection.Name)]
public sealed class WorkerKilledTests(TaskEngineFixture fixture) : IClassFixture<TaskEngineFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_task_of_a_killed_worker_process_is_finished_by_another_worker_after_its_lease_expires()
    {
        var tenant = await fixture.ResetAsync();
        await using var provider = await ProviderWireServer.StartAsync();
        provider.Behavior = WireBehavior.Slow;
        provider.Delay = TimeSpan.FromMinutes(10);
        await using var worker = await StartWorkerProcessAsync(provider);
        var pid = worker.Pid;
        string ProcessLog() => string.Join('\n', worker.Tail(30));
        await Wait.UntilAsync(() => worker.Tail(200).Any(l => l.Contains("Task worker")), TimeSpan.FromSeconds(15),
            "the MessageProcessor process to start its task worker (is builder.AddTaskEngine() wired into it?)", ProcessLog);

        var id = await fixture.EnqueueAsync(tenant, "ai.generate", """{"prompt":"Are you open on Sunday?"}""");
        await Wait.UntilAsync(() => provider.RequestCount > 0, Timeout, "the worker process to call the provider", ProcessLog);
        var claimed = await fixture.TaskAsync(tenant, id);
        Assert.Equal(TaskItemStatus.Running, claimed.Status);
        Assert.Contains($":{pid}:", claimed.LockedBy);

        using (var process = Process.GetProcessById(pid))
        {
            process.Kill(); // SIGKILL
            await process.WaitForExitAsync();
        }
        provider.Behavior = WireBehavior.Answer;

        var executions = new ExecutionLog();
        await using var survivor = await TaskEngineHost.StartAsync(fixture, executions, new Dictionary<string, string?>(ProviderSettings(provider))
        {
            ["Tasks:RescueInterval"] = "00:00:00.500",
        });
        await Wait.UntilAsync(() => fixture.StatusIsAsync(tenant, id, TaskItemStatus.Succeeded), Timeout, "the surviving worker to finish the task",
            () => survivor.Log.Tail(30));

        var attempts = await fixture.AttemptsAsync(tenant, id);
        Assert.Equal([(1, TaskAttemptStatus.Failed, TaskErrorCodes.LeaseExpired, claimed.LockedBy), (2, TaskAttemptStatus.Succeeded, null, survivor.Worker)],
            attempts.Select(a => (a.AttemptNo, a.Status, a.ErrorCode, a.Worker)));
        // Rescued only once the lease the dead worker last renewed had run out.
        Assert.True(attempts[0].EndedAt >= claimed.LockedUntil, $"rescued at {attempts[0].EndedAt:O}, lease until {claimed.LockedUntil:O}");
        Assert.Equal(WireClients.OpenAIModel, attempts[1].Model);
        Assert.Equal("Hello from the wire.", Assert.Single(await fixture.ArtifactsAsync(tenant, id)).Content);
    }

    private Task<ServiceProcess> StartWorkerProcessAsync(ProviderWireServer provider) =>
        ServiceProcess.StartAsync("MessageProcessor", new Dictionary<string, string?>(ProviderSettings(provider))
        {
            ["ConnectionStrings:saas"] = fixture.Database.AppConnectionString,
            ["ConnectionStrings:messaging"] = fixture.Messaging.ConnectionString,
            ["ConnectionStrings:redis"] = TestServers.Shared.GetRedisConnectionStringAsync().GetAwaiter().GetResult(),
            ["Buffering:Key"] = "test:replies:due:" + Guid.NewGuid().ToString("N"),
            ["Secrets:EncryptionKey"] = fixture.Database.EncryptionKey,
            // A short lease, so the test waits seconds, not the default half minute, for the rescue.
            ["Tasks:Lease"] = "00:00:03",
        });

    /// <summary>One OpenAI-compatible provider, the test's wire server; a call may take as long as the test needs.</summary>
    private static Dictionary<string, string?> ProviderSettings(ProviderWireServer provider) => new()
    {
        ["Ai:Providers:wire:Kind"] = "OpenAI",
        ["Ai:Providers:wire:Endpoint"] = provider.OpenAIEndpoint.ToString(),
        ["Ai:Providers:wire:ApiKey"] = WireClients.OpenAIKey,
        ["Ai:Providers:wire:Model"] = WireClients.OpenAIModel,
        ["Ai:Providers:wire:TimeoutSeconds"] = "600",
        ["Ai:Chain:0"] = "wire",
    };
}
