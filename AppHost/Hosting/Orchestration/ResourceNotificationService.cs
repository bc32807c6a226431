using SaasAssistants.AppHost.Hosting.ApplicationModel;

namespace SaasAssistants.AppHost.Hosting.Orchestration;

/// <summary>The current state of every resource, and a way to wait for a state (Aspire's ResourceNotificationService).</summary>
public sealed class ResourceNotificationService
{
    private readonly object gate = new();
    private readonly Dictionary<string, ResourceSnapshot> snapshots;
    private readonly Dictionary<string, Resource> resources;
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ResourceNotificationService(IEnumerable<Resource> resources)
    {
        this.resources = resources.ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);
        snapshots = this.resources.Values.ToDictionary(r => r.Name, r => new ResourceSnapshot(r.Name, r.Type) { Urls = r.Urls.ToList() }, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Snapshots in the order resources were added.</summary>
    public IReadOnlyList<ResourceSnapshot> GetSnapshots()
    {
        lock (gate)
        {
            return resources.Keys.Select(name => snapshots[name]).ToList();
        }
    }

    public ResourceSnapshot GetSnapshot(string resourceName)
    {
        lock (gate)
        {
            return snapshots.TryGetValue(resourceName, out var snapshot) ? snapshot : throw new KeyNotFoundException($"No resource named '{resourceName}'.");
        }
    }

    public void PublishUpdate(IResource resource, Func<ResourceSnapshot, ResourceSnapshot> update)
    {
        TaskCompletionSource toSignal;
        lock (gate)
        {
            snapshots[resource.Name] = update(snapshots[resource.Name]);
            toSignal = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        toSignal.SetResult();
    }

    /// <summary>Waits until the resource's snapshot satisfies the predicate; returns that snapshot.</summary>
    public async Task<ResourceSnapshot> WaitForResourceAsync(string resourceName, Func<ResourceSnapshot, bool> predicate, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task next;
            lock (gate)
            {
                var snapshot = snapshots[resourceName];
                if (predicate(snapshot))
                {
                    return snapshot;
                }

                next = changed.Task;
            }

            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<ResourceSnapshot> WaitForResourceAsync(string resourceName, string targetState, CancellationToken cancellationToken = default) =>
        WaitForResourceAsync(resourceName, s => s.State == targetState, cancellationToken);

    /// <summary>Running and healthy (resources without health check: running).</summary>
    public Task<ResourceSnapshot> WaitForResourceHealthyAsync(string resourceName, CancellationToken cancellationToken = default)
    {
        var hasHealthCheck = resources[resourceName].HasHealthCheck;
        return WaitForResourceAsync(resourceName, s => s.IsReady(hasHealthCheck), cancellationToken);
    }
}
