namespace SaasAssistants.AppHost.Hosting.Orchestration;

/// <summary>A resource failed to start, exited, or did not become healthy in time; the message says which and why.</summary>
public sealed class DistributedApplicationException(ResourceFailure failure) : Exception(failure.Describe())
{
    public ResourceFailure Failure { get; } = failure;
}
