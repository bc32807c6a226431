using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SaasAssistants.Contracts.Events.Tasks;
using SaasAssistants.Database.Tasks;
using SaasAssistants.EventBus;
using SaasAssistants.MessageProcessor.Ai.Providers;
using SaasAssistants.MessageProcessor.Tasks.Processors;

namespace SaasAssistants.MessageProcessor.Tasks;

public static class TaskEngineExtensions
{
    /// <summary>The durable queue of TaskQueued wake-ups, shared by every instance (each message wakes one).</summary>
    public const string TaskQueuedQueue = "tasks-queued";

    /// <summary>
    /// The task engine: the worker (claims, heartbeat, cancel listener, graceful shutdown), the lease rescuer, the
    /// built-in processors (<c>ai.generate</c>), the TaskQueued wake-up consumer, metrics and the <c>Tasks</c> options.
    /// Needs <c>AddSaasDatabase</c>, <c>AddEventBus("messaging")</c> and, for the events it raises to leave,
    /// <c>AddOutboxRelay</c>. Adds <c>AddAiProviders</c> unless it was called already.
    /// </summary>
    public static IHostApplicationBuilder AddTaskEngine(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(TaskEngineOptions.SectionName);
        builder.Services.AddOptions<TaskEngineOptions>().Bind(section).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TaskEngineOptions>, TaskEngineOptionsValidator>());
        // Running tasks get the whole grace period, and releasing the rest needs a few seconds more.
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<TaskEngineOptions>>((host, tasks) =>
            host.ShutdownTimeout = TimeSpan.FromTicks(Math.Max(host.ShutdownTimeout.Ticks, (tasks.Value.ShutdownGrace + TimeSpan.FromSeconds(10)).Ticks)));

        // AddAiProviders binds a list (Ai:Chain); binding it twice would double the chain.
        if (!builder.Services.Any(service => service.ServiceType == typeof(ProviderRegistry)))
        {
            builder.AddAiProviders();
        }

        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.Services.AddSingleton<WorkerIdentity>();
        builder.Services.AddSingleton<TaskQueue>();
        builder.Services.AddSingleton<TaskProcessors>();
        builder.Services.AddSingleton<RunningTasks>();
        builder.Services.AddSingleton<TaskWakeUp>();
        builder.Services.AddSingleton<TaskHeartbeat>();
        builder.Services.AddSingleton<TaskCancelListener>();
        builder.Services.AddSingleton<TaskExecutor>();
        builder.Services.AddSingleton<TaskCompletionWriter>();
        builder.Services.AddSingleton<TaskMetrics>();
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<TaskEngineOptions>>().Value;
            var time = services.GetRequiredService<TimeProvider>();
            var byType = options.RetryPolicies.ToDictionary(p => p.Key, p => new RetryPolicy(time, baseDelay: p.Value.BaseDelay, maxDelay: p.Value.MaxDelay), StringComparer.Ordinal);
            return new TaskRetrySchedule(new RetryPolicy(time, baseDelay: options.RetryBaseDelay, maxDelay: options.RetryMaxDelay), time, byType);
        });
        builder.Services.AddSingleton<LeaseRescuer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LeaseRescuer>());
        builder.Services.AddHostedService<TaskWorker>();

        builder.Services.AddTaskProcessor<AiGenerateProcessor>();
        var prefetch = section.GetValue<ushort?>(nameof(TaskEngineOptions.Prefetch)) ?? new TaskEngineOptions().Prefetch;
        builder.AddEventConsumer<TaskQueued, TaskQueuedHandler>(TaskQueuedQueue, EventQueueKind.Durable, prefetch);
        return builder;
    }

    /// <summary>Adds a processor (a singleton) for the task type it names; registering the same class twice adds it once.</summary>
    public static IServiceCollection AddTaskProcessor<TProcessor>(this IServiceCollection services)
        where TProcessor : class, ITaskProcessor
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITaskProcessor, TProcessor>());
        return services;
    }
}
