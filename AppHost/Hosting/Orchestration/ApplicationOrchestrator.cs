using Microsoft.Extensions.Diagnostics.HealthChecks;
using SaasAssistants.AppHost.Hosting.ApplicationModel;
using SaasAssistants.AppHost.Hosting.Processes;

namespace SaasAssistants.AppHost.Hosting.Orchestration;

/// <summary>
/// Runs the model: each resource waits for its dependencies, starts, is watched for health and exit; the first
/// failure (failed to start, exited, not healthy in time) is reported once. Stopping goes in reverse dependency
/// order: a resource stops only after everything that waits for or references it has stopped.
/// </summary>
internal sealed class ApplicationOrchestrator(
    IReadOnlyList<Resource> resources,
    ResourceNotificationService notifications,
    ResourceLoggerService loggers,
    AppHostSettings settings,
    Func<Resource, ResourceStartContext> createContext)
{
    private static readonly TimeSpan HealthInterval = TimeSpan.FromSeconds(5);

    private readonly object gate = new();
    private readonly CancellationTokenSource lifetime = new();
    private readonly Dictionary<Resource, Task<ResourceRun?>> launches = [];
    private readonly TaskCompletionSource<ResourceFailure> failure = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? stopAll;

    /// <summary>Completes with the first failure.</summary>
    public Task<ResourceFailure> Failure => failure.Task;

    public void Start()
    {
        foreach (var resource in resources)
        {
            _ = Task.Run(() => RunResourceAsync(resource));
        }
    }

    /// <summary>Until every resource is running and healthy, or finished; throws on the first failure.</summary>
    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var stoppedOrCancelled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.Token);
        var ready = Task.WhenAll(resources.Select(r => notifications.WaitForResourceAsync(r.Name, s => IsSettled(r, s), stoppedOrCancelled.Token)));
        await Task.WhenAny(ready, failure.Task).ConfigureAwait(false);
        if (failure.Task.IsCompleted)
        {
            throw new DistributedApplicationException(failure.Task.Result);
        }

        if (lifetime.IsCancellationRequested)
        {
            throw new OperationCanceledException("The application was stopped before every resource was ready.");
        }

        await ready.ConfigureAwait(false);
    }

    public Task StopAsync(bool graceful = true)
    {
        lock (gate)
        {
            // Cancelling runs continuations inline, some of which call StopAsync again: do it after stopAll is set.
            return stopAll ??= Task.Run(async () =>
            {
                await lifetime.CancelAsync().ConfigureAwait(false);
                await StopAllAsync(graceful).ConfigureAwait(false);
            });
        }
    }

    /// <summary>Immediate SIGKILL of every process (for when this process is about to end).</summary>
    public void Kill()
    {
        lock (gate)
        {
            foreach (var launch in launches.Values.Where(l => l.IsCompletedSuccessfully))
            {
                launch.Result?.Kill();
            }
        }
    }

    private static bool IsSettled(Resource resource, ResourceSnapshot snapshot) => resource.RunsToCompletion
        ? snapshot.State == KnownResourceStates.Finished
        : snapshot.IsReady(resource.HasHealthCheck);

    private async Task RunResourceAsync(Resource resource)
    {
        try
        {
            if (resource.Waits.Count > 0)
            {
                Publish(resource, s => s with { State = KnownResourceStates.Waiting });
            }

            foreach (var wait in resource.Waits)
            {
                await WaitForDependencyAsync(wait).ConfigureAwait(false);
            }

            Task<ResourceRun?> launch;
            lock (gate)
            {
                if (lifetime.IsCancellationRequested)
                {
                    return;
                }

                Publish(resource, s => s with { State = KnownResourceStates.Starting, StartedAt = DateTimeOffset.UtcNow });
                launch = Task.Run(() => LaunchAsync(resource));
                launches[resource] = launch;
            }

            var startedAt = DateTime.UtcNow;
            var run = await launch.ConfigureAwait(false);
            if (run is null)
            {
                return;
            }

            Publish(resource, s => s with
            {
                State = KnownResourceStates.Running,
                ProcessId = run.ProcessId,
                Health = resource.HasHealthCheck ? HealthStatus.Unhealthy : null,
            });
            _ = WatchCompletionAsync(resource, run);
            if (resource.HasHealthCheck)
            {
                await WatchHealthAsync(resource, startedAt).ConfigureAwait(false);
            }
            else if (resource.RunsToCompletion
                && await Task.WhenAny(run.Completion, Task.Delay(settings.StartupTimeout, lifetime.Token)).ConfigureAwait(false) != run.Completion)
            {
                Fail(resource, $"did not finish within {settings.StartupTimeout.TotalSeconds:0}s");
            }
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Fail(resource, $"the AppHost failed to run it: {ex.Message}");
        }
    }

    private async Task WaitForDependencyAsync(WaitAnnotation wait)
    {
        if (wait.WaitType == WaitType.WaitUntilHealthy)
        {
            await notifications.WaitForResourceHealthyAsync(wait.Resource.Name, lifetime.Token).ConfigureAwait(false);
            return;
        }

        var ended = await notifications.WaitForResourceAsync(wait.Resource.Name, s => KnownResourceStates.IsTerminal(s.State), lifetime.Token).ConfigureAwait(false);
        if (ended.ExitCode != wait.ExpectedExitCode)
        {
            // The dependency's own failure stops the application; this resource just never starts.
            await Task.Delay(Timeout.Infinite, lifetime.Token).ConfigureAwait(false);
        }
    }

    private async Task<ResourceRun?> LaunchAsync(Resource resource)
    {
        try
        {
            return await resource.StartAsync(createContext(resource), lifetime.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex)
        {
            loggers.GetWriter(resource.Name)(new LogLine(DateTimeOffset.UtcNow, ex.Message, IsError: true));
            Publish(resource, s => s with { State = KnownResourceStates.FailedToStart });
            Fail(resource, ex.Message.Split('\n')[0]);
            return null;
        }
    }

    private async Task WatchHealthAsync(Resource resource, DateTime startedAt)
    {
        var everHealthy = false;
        var delay = TimeSpan.FromMilliseconds(50);
        while (!lifetime.IsCancellationRequested)
        {
            var healthy = await IsHealthyAsync(resource).ConfigureAwait(false);
            var snapshot = notifications.GetSnapshot(resource.Name);
            if (snapshot.State != KnownResourceStates.Running)
            {
                return;
            }

            var health = healthy ? HealthStatus.Healthy : HealthStatus.Unhealthy;
            if (snapshot.Health != health)
            {
                Publish(resource, s => s with { Health = health });
            }

            if (!everHealthy)
            {
                everHealthy = healthy;
                if (!healthy && DateTime.UtcNow - startedAt > settings.StartupTimeout)
                {
                    Fail(resource, $"not healthy {settings.StartupTimeout.TotalSeconds:0}s after it started");
                    return;
                }
            }

            // Poll quickly while starting (startup time matters), then now and then for the dashboard.
            delay = everHealthy ? HealthInterval : TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 500));
            await Task.Delay(delay, lifetime.Token).ConfigureAwait(false);
        }
    }

    private async Task<bool> IsHealthyAsync(Resource resource)
    {
        try
        {
            return await resource.CheckHealthAsync(lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception) when (!lifetime.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task WatchCompletionAsync(Resource resource, ResourceRun run)
    {
        var exitCode = await run.Completion.ConfigureAwait(false);
        lock (gate)
        {
            if (stopAll is not null)
            {
                return; // stopping: StopResourceAsync records the final state
            }
        }

        var expected = resources.SelectMany(r => r.Waits).FirstOrDefault(w => w.Resource == resource && w.WaitType == WaitType.WaitForCompletion)?.ExpectedExitCode ?? 0;
        var finished = resource.RunsToCompletion && exitCode == expected;
        Publish(resource, s => s with
        {
            State = finished ? KnownResourceStates.Finished : KnownResourceStates.Exited,
            ExitCode = exitCode,
            Health = null,
        });
        if (!finished)
        {
            Fail(resource, resource.RunsToCompletion ? $"expected exit code {expected}" : "it exited unexpectedly");
        }
    }

    private void Fail(Resource resource, string reason)
    {
        lock (gate)
        {
            if (stopAll is not null)
            {
                return;
            }
        }

        var snapshot = notifications.GetSnapshot(resource.Name);
        var lastLines = loggers.GetLog(resource.Name).GetLines(20).Select(l => l.Text).ToList();
        failure.TrySetResult(new ResourceFailure(resource.Name, resource.Type, snapshot.State, snapshot.ExitCode, reason, lastLines));
    }

    private async Task StopAllAsync(bool graceful)
    {
        var stops = new Dictionary<Resource, Task>();
        await Task.WhenAll(resources.Select(StopAfterDependents)).ConfigureAwait(false);

        Task StopAfterDependents(Resource resource)
        {
            if (!stops.TryGetValue(resource, out var stop))
            {
                var dependents = resources.Where(r => r.Waits.Any(w => w.Resource == resource) || r.References.Contains(resource)).ToList();
                stop = StopResourceAsync(resource, dependents.Select(StopAfterDependents).ToList(), graceful);
                stops[resource] = stop;
            }

            return stop;
        }
    }

    private async Task StopResourceAsync(Resource resource, IReadOnlyList<Task> dependentsStopped, bool graceful)
    {
        await Task.WhenAll(dependentsStopped).ConfigureAwait(false);
        Task<ResourceRun?>? launch;
        lock (gate)
        {
            launches.TryGetValue(resource, out launch);
        }

        var run = launch is null ? null : await launch.ConfigureAwait(false);
        if (run is null)
        {
            return;
        }

        if (!run.Completion.IsCompleted)
        {
            Publish(resource, s => s with { State = KnownResourceStates.Stopping });
        }

        try
        {
            await run.StopAsync(graceful).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            loggers.GetWriter(resource.Name)(new LogLine(DateTimeOffset.UtcNow, $"stop failed: {ex.Message}", IsError: true));
        }

        int? exitCode = run.Completion.IsCompletedSuccessfully ? run.Completion.Result : null;
        Publish(resource, s => s with
        {
            State = KnownResourceStates.IsTerminal(s.State) ? s.State : KnownResourceStates.Exited,
            ExitCode = s.ExitCode ?? exitCode,
            Health = null,
        });
    }

    private void Publish(Resource resource, Func<ResourceSnapshot, ResourceSnapshot> update) => notifications.PublishUpdate(resource, update);
}
