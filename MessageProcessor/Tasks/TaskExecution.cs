using System.Text.Json;

namespace SaasAssistants.MessageProcessor.Tasks;

/// <summary>What a processor knows about the attempt it runs.</summary>
public sealed class TaskExecution
{
    public required Guid TaskId { get; init; }
    public required Guid TenantId { get; init; }
    public required string Type { get; init; }

    /// <summary>1-based number of this attempt.</summary>
    public required int Attempt { get; init; }

    public required int MaxAttempts { get; init; }
    public string? CorrelationId { get; init; }

    /// <summary>The task's payload, valid only while <see cref="ITaskProcessor.ProcessAsync"/> runs.</summary>
    public required JsonElement Payload { get; init; }

    /// <summary>The task's DI scope, its tenant set: for processors that need scoped services such as the database.</summary>
    public required IServiceProvider Services { get; init; }
}
