namespace SaasAssistants.Testing.Processes;

/// <summary>What to run for a child process, and how it wants to be stopped.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set (a null value removes an inherited one).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Inherited variables whose name starts with one of these are removed (before <see cref="Environment"/> applies).</summary>
    public IReadOnlyList<string> RemoveInheritedPrefixes { get; init; } = [];

    /// <summary>Run as this user (only when we are root; e.g. PostgreSQL refuses to run as root).</summary>
    public string? RunAsUser { get; init; }

    /// <summary>The signal for a graceful stop, also sent by the kernel if the AppHost dies (SIGINT = PostgreSQL's fast shutdown).</summary>
    public int StopSignal { get; init; } = NativeMethods.SIGTERM;

    /// <summary>How long a graceful stop may take before the whole tree gets SIGKILL.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    public string DisplayCommand => string.Join(' ', Arguments.Prepend(FileName).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));
}
