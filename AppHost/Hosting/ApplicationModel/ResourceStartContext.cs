using Microsoft.Extensions.Logging;
using SaasAssistants.AppHost.Hosting.Processes;

namespace SaasAssistants.AppHost.Hosting.ApplicationModel;

/// <summary>What a resource gets when it is started: where its output goes.</summary>
public sealed class ResourceStartContext(Action<LogLine> output, ILogger logger)
{
    /// <summary>Console output of the resource's processes.</summary>
    public Action<LogLine> Output { get; } = output;

    /// <summary>For in-process resources (the migrator): lands in the same resource log.</summary>
    public ILogger Logger { get; } = logger;
}
