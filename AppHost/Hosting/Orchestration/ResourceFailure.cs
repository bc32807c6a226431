namespace SaasAssistants.AppHost.Hosting.Orchestration;

/// <param name="LastLogLines">The resource's last ~20 console lines, usually the explanation.</param>
public sealed record ResourceFailure(string ResourceName, string ResourceType, string State, int? ExitCode, string Reason, IReadOnlyList<string> LastLogLines)
{
    /// <summary>The one line that names what failed.</summary>
    public string Summary =>
        $"Resource '{ResourceName}' ({ResourceType}) is {State}{(ExitCode is { } code ? $" with exit code {code}" : string.Empty)}: {Reason}";

    public string Describe() => LastLogLines.Count == 0
        ? Summary + " (no output)"
        : $"{Summary}{Environment.NewLine}Last {LastLogLines.Count} log lines of '{ResourceName}':{Environment.NewLine}{string.Join(Environment.NewLine, LastLogLines.Select(l => "    " + l))}";
}
