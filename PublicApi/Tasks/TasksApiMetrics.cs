using System.Diagnostics.Metrics;

namespace SaasAssistants.PublicApi.Tasks;

/// <summary>
/// The API's side of meter "SaasAssistants.Tasks" (MessageProcessor's TaskMetrics counts the outcomes on the same
/// meter name): tasks created, by type. ServiceDefaults exports every "SaasAssistants.*" meter over OpenTelemetry.
/// </summary>
public sealed class TasksApiMetrics
{
    public const string MeterName = "SaasAssistants.Tasks";

    private readonly Counter<long> _created;

    public TasksApiMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _created = meter.CreateCounter<long>("saas.tasks.created", "{task}", "Tasks created, by type; an idempotent replay creates none.");
    }

    public void Created(string type) => _created.Add(1, new KeyValuePair<string, object?>("task.type", type));
}
