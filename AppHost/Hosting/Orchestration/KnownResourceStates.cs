namespace SaasAssistants.AppHost.Hosting.Orchestration;

/// <summary>Aspire's resource state names.</summary>
public static class KnownResourceStates
{
    public const string NotStarted = "NotStarted";
    public const string Waiting = "Waiting";
    public const string Starting = "Starting";
    public const string Running = "Running";
    public const string Stopping = "Stopping";

    /// <summary>Ended: stopped by us, or exited unexpectedly (with the exit code).</summary>
    public const string Exited = "Exited";

    /// <summary>Ran to completion successfully (the migrator).</summary>
    public const string Finished = "Finished";

    public const string FailedToStart = "FailedToStart";

    public static bool IsTerminal(string state) => state is Exited or Finished or FailedToStart;
}
