namespace SaasAssistants.AppHost.Hosting.ApplicationModel;

public enum WaitType
{
    /// <summary>Wait until the dependency is running and healthy.</summary>
    WaitUntilHealthy,

    /// <summary>Wait until the dependency ran to completion with the expected exit code.</summary>
    WaitForCompletion,
}

public sealed record WaitAnnotation(Resource Resource, WaitType WaitType, int ExpectedExitCode = 0);
