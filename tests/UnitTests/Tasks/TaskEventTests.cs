using System.Text.Json;
using SaasAssistants.Contracts;
using SaasAssistants.Contracts.Events.Tasks;
using Xunit;

namespace SaasAssistants.UnitTests.Tasks;

public class TaskEventTests
{
    [Fact]
    public void The_wake_up_message_carries_task_type_attempt_and_correlation_on_the_wire()
    {
        var queued = new TaskQueued
        {
            TenantId = TaskSamples.TenantId, TaskId = Guid.CreateVersion7(), Type = "ai.generate", Attempt = 2,
            CorrelationId = "corr-1", ScheduledAt = TaskSamples.T0,
        };

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(queued, queued.GetType(), ContractJson.Options));
        var root = json.RootElement;

        Assert.Equal(queued.TaskId, root.GetProperty("taskId").GetGuid());
        Assert.Equal("ai.generate", root.GetProperty("type").GetString());
        Assert.Equal(2, root.GetProperty("attempt").GetInt32());
        Assert.Equal("corr-1", root.GetProperty("correlationId").GetString());
        Assert.Equal(TaskSamples.TenantId, root.GetProperty("tenantId").GetGuid());
        var back = JsonSerializer.Deserialize<TaskQueued>(root.GetRawText(), ContractJson.Options)!;
        Assert.Equal(queued with { }, back with { EventId = queued.EventId, OccurredAt = queued.OccurredAt });
    }
}
