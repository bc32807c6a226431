using Xunit;

namespace SaasAssistants.IntegrationTests.TaskEngine.Support;

/// <summary>
/// The task engine's test classes run one after another: they measure timings (cancel within a second, throughput)
/// that two engines competing for this machine's two cores would distort.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TaskEngineCollection
{
    public const string Name = "Task engine";
}
