using SaasAssistants.AppHost.Hosting.Processes;

namespace SaasAssistants.AppHost.Hosting.ApplicationModel;

/// <summary>Any command (Aspire's AddExecutable). No health check: running counts as healthy.</summary>
public sealed class ExecutableResource(string name, string command, string workingDirectory, IReadOnlyList<string> arguments)
    : ProcessResource(name)
{
    public override string Type => "Executable";

    public string Command { get; } = command;

    public string WorkingDirectory { get; } = workingDirectory;

    public IReadOnlyList<string> Arguments { get; } = arguments;

    public override bool HasHealthCheck => false;

    public override async Task<ResourceRun> StartAsync(ResourceStartContext context, CancellationToken cancellationToken)
    {
        var command = CommandLocator.Find(Command, WorkingDirectory)
            ?? throw new FileNotFoundException($"Command '{Command}' was not found (working directory {WorkingDirectory}).");
        var spec = WithInheritedDiscoveryRemoved(new ProcessSpec(command, Arguments)
        {
            WorkingDirectory = WorkingDirectory,
            Environment = BuildEnvironment(),
        });
        return ResourceRun.For(await ManagedProcess.StartAsync(spec, context.Output).ConfigureAwait(false));
    }
}
