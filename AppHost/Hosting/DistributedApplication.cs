using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using SaasAssistants.AppHost.Hosting.ApplicationModel;
using SaasAssistants.AppHost.Hosting.Dashboard;
using SaasAssistants.AppHost.Hosting.Orchestration;

namespace SaasAssistants.AppHost.Hosting;

/// <summary>
/// The running application model (Aspire's DistributedApplication). <see cref="RunAsync"/> is for the AppHost's
/// Program (Ctrl+C / SIGTERM stop everything; a failure is printed and the exit code is 1); tests use
/// <see cref="StartAsync"/> (returns once everything is healthy, throws <see cref="DistributedApplicationException"/>
/// otherwise) and <see cref="DisposeAsync"/>.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly AppHostSettings settings;
    private readonly IReadOnlyList<Func<DistributedApplication, CancellationToken, Task>> readyCallbacks;
    private readonly ApplicationOrchestrator orchestrator;
    private readonly ConsoleReporter reporter;
    private readonly DashboardServer? dashboard;
    private readonly EventHandler killOnProcessExit;
    private readonly object stopGate = new();
    private Task? stopping;

    internal DistributedApplication(
        IReadOnlyList<Resource> resources,
        IConfiguration configuration,
        AppHostSettings settings,
        AppHostState state,
        int? dashboardPort,
        IReadOnlyList<Func<DistributedApplication, CancellationToken, Task>> readyCallbacks)
    {
        Resources = resources;
        Configuration = configuration;
        State = state;
        this.settings = settings;
        this.readyCallbacks = readyCallbacks;
        reporter = new ConsoleReporter(resources.Select(r => r.Name));
        ResourceNotifications = new ResourceNotificationService(resources);
        ResourceLoggers = new ResourceLoggerService(resources.Select(r => r.Name), settings.EchoLogs ? reporter : null);
        orchestrator = new ApplicationOrchestrator(
            resources,
            ResourceNotifications,
            ResourceLoggers,
            settings,
            resource => new ResourceStartContext(ResourceLoggers.GetWriter(resource.Name), ResourceLoggers.GetLogger(resource.Name)));
        dashboard = dashboardPort is { } port ? new DashboardServer(port, ResourceNotifications, ResourceLoggers) : null;
        killOnProcessExit = (_, _) => orchestrator.Kill();
    }

    public IReadOnlyList<Resource> Resources { get; }

    public IConfiguration Configuration { get; }

    public AppHostState State { get; }

    public ResourceNotificationService ResourceNotifications { get; }

    public ResourceLoggerService ResourceLoggers { get; }

    public Uri? DashboardUrl => dashboard?.Url;

    /// <summary>Completes with the first failure of any resource, during start or later (a service that crashes).</summary>
    public Task<ResourceFailure> Failure => orchestrator.Failure;

    /// <summary>How long it took from StartAsync until every resource was healthy (or finished).</summary>
    public TimeSpan? TimeToReady { get; private set; }

    public static IDistributedApplicationBuilder CreateBuilder(string[] args) => new DistributedApplicationBuilder(new DistributedApplicationOptions { Args = args });

    public static IDistributedApplicationBuilder CreateBuilder(DistributedApplicationOptions options) => new DistributedApplicationBuilder(options);

    public T GetResource<T>(string name)
        where T : Resource =>
        Resources.OfType<T>().FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"No {typeof(T).Name} named '{name}'.");

    /// <summary>The URL of a resource's endpoint (default: its first http endpoint, else its first one).</summary>
    public Uri GetEndpoint(string resourceName, string? endpointName = null)
    {
        var resource = GetResource<Resource>(resourceName);
        var endpoint = endpointName is null
            ? resource.Endpoints.FirstOrDefault(e => e.Scheme == "http") ?? resource.Endpoints.FirstOrDefault()
            : resource.GetEndpoint(endpointName);
        return new Uri(endpoint?.Url ?? throw new InvalidOperationException($"Resource '{resourceName}' has no endpoints."));
    }

    /// <summary>What a service referencing the resource receives as <c>ConnectionStrings__{name}</c>.</summary>
    public string GetConnectionString(string resourceName) =>
        GetResource<Resource>(resourceName) is IResourceWithConnectionString withConnectionString
            ? withConnectionString.GetConnectionString()
            : throw new InvalidOperationException($"Resource '{resourceName}' has no connection string.");

    public HttpClient CreateHttpClient(string resourceName, string? endpointName = null) =>
        new() { BaseAddress = GetEndpoint(resourceName, endpointName) };

    /// <summary>Starts everything; returns when all resources are healthy or finished. On failure everything is stopped and it throws.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await StartAndWaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await StopAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts, reports where everything is, and runs until Ctrl+C / SIGTERM or until a resource fails; then stops
    /// every process. A failure is printed (resource, state, exit code, last log lines) and sets exit code 1.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var stopRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stopSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var onStop = stopSource.Token.Register(() => stopRequested.TrySetResult());
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        reporter.Info($"starting {Resources.Count} resources; state folder {State.Directory}");
        if (DashboardUrl is not null)
        {
            reporter.Info($"dashboard: {DashboardUrl}");
        }

        try
        {
            await StartAndWaitUntilReadyAsync(stopSource.Token).ConfigureAwait(false);
            reporter.Info($"all resources ready in {TimeToReady!.Value.TotalSeconds:0.0}s — Ctrl+C stops everything");
            foreach (var callback in readyCallbacks)
            {
                await callback(this, stopSource.Token).ConfigureAwait(false);
            }

            await Task.WhenAny(stopRequested.Task, orchestrator.Failure).ConfigureAwait(false);
        }
        catch (DistributedApplicationException)
        {
            // Reported below.
        }
        catch (OperationCanceledException) when (stopSource.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            reporter.Error($"the AppHost failed: {ex.Message}");
            Environment.ExitCode = 1;
        }

        if (orchestrator.Failure.IsCompleted)
        {
            ReportFailure(orchestrator.Failure.Result);
            Environment.ExitCode = 1;
        }

        reporter.Info("stopping… (Ctrl+C again kills everything at once)");
        await StopAsync().ConfigureAwait(false);
        reporter.Info("stopped");

        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // we stop the children first, then return from RunAsync
            // Only a person's second Ctrl+C escalates. SIGTERM may arrive twice for one stop (a supervisor signals the
            // process group, and `dotnet run` forwards the same SIGTERM to us), and it always means "stop cleanly".
            if (stopSource.IsCancellationRequested && context.Signal == PosixSignal.SIGINT)
            {
                reporter.Info("second signal: killing every process now");
                orchestrator.Kill();
            }
            else
            {
                stopSource.Cancel();
            }
        }
    }

    /// <summary>Synchronous <see cref="RunAsync"/>, as in Aspire's <c>builder.Build().Run()</c>.</summary>
    public void Run() => RunAsync().GetAwaiter().GetResult();

    /// <summary>Stops every resource (graceful, then SIGKILL after each one's grace period) and the dashboard. Idempotent.</summary>
    public Task StopAsync()
    {
        lock (stopGate)
        {
            // Task.Run: stopping cancels the start, whose handler calls StopAsync again on this very thread.
            return stopping ??= Task.Run(StopOnceAsync);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task StopOnceAsync()
    {
        await orchestrator.StopAsync().ConfigureAwait(false);
        AppDomain.CurrentDomain.ProcessExit -= killOnProcessExit;
        if (dashboard is not null)
        {
            await dashboard.DisposeAsync().ConfigureAwait(false);
        }

        if (settings.EphemeralState)
        {
            State.Delete();
        }
    }

    private async Task StartAndWaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        AppDomain.CurrentDomain.ProcessExit += killOnProcessExit;
        var stopwatch = Stopwatch.StartNew();
        if (dashboard is not null)
        {
            await dashboard.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        orchestrator.Start();
        await orchestrator.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
        TimeToReady = stopwatch.Elapsed;
    }

    private void ReportFailure(ResourceFailure failure)
    {
        reporter.Error(failure.Summary);
        reporter.Plain(failure.LastLogLines.Count == 0 ? "    (no output)" : $"    last {failure.LastLogLines.Count} log lines of '{failure.ResourceName}':");
        foreach (var line in failure.LastLogLines)
        {
            reporter.Plain("    " + line);
        }
    }
}
