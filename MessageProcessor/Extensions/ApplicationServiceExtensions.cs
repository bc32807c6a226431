using Microsoft.Extensions.DependencyInjection.Extensions;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Database;
using SaasAssistants.EventBus;
using SaasAssistants.MessageProcessor.Ai;
using SaasAssistants.MessageProcessor.Budgets;
using SaasAssistants.MessageProcessor.Buffering;
using SaasAssistants.MessageProcessor.Channels;
using SaasAssistants.MessageProcessor.Context;
using SaasAssistants.MessageProcessor.Conversations;
using SaasAssistants.MessageProcessor.DeadLetters;
using SaasAssistants.MessageProcessor.Diagnostics;
using SaasAssistants.MessageProcessor.Knowledge;
using SaasAssistants.MessageProcessor.Lifecycle;
using SaasAssistants.MessageProcessor.Media;
using SaasAssistants.MessageProcessor.Replies;
using SaasAssistants.MessageProcessor.Tasks;
using SaasAssistants.MessageProcessor.Webhooks;

namespace SaasAssistants.MessageProcessor.Extensions;

public static class ApplicationServiceExtensions
{
    /// <summary>Queue this worker consumes InboundMessageReceived from; its name is the service's, by convention.</summary>
    public const string InboundMessagesQueue = "message-processor.inbound-messages";

    /// <summary>The durable queues whose dead letters the replay command and admin action may put back.</summary>
    public static readonly IReadOnlySet<string> ReplayableQueues = new HashSet<string>(
        [InboundMessagesQueue, TaskEngineExtensions.TaskQueuedQueue, .. WebhookDeliveryExtensions.Queues], StringComparer.Ordinal);

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddSaasDatabase();
        builder.AddEventBus("messaging");
        builder.AddOutboxRelay();
        // The reply buffer. AbortOnConnectFail off: the service starts (and stores messages) while Redis is down.
        builder.AddRedisClient("redis", configureOptions: options => options.AbortOnConnectFail = false);
        builder.AddTaskEngine();
        builder.AddKnowledgeIndexing();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<MessageProcessorMetrics>();

        builder.AddConversationEngine();

        builder.AddChannelSending();
        builder.AddMediaFetching();

        builder.AddWebhookDelivery();

        // Several deliveries at once, one conversation's in order: its contact, conversation and buffer timer are
        // updated by one message after another, as they arrived.
        var inbound = builder.Configuration.GetSection(InboundMessagesOptions.SectionName).Get<InboundMessagesOptions>() ?? new InboundMessagesOptions();
        builder.AddEventConsumer<InboundMessageReceived, InboundMessageHandler>(InboundMessagesQueue, EventQueueKind.Durable,
            inbound.EffectivePrefetch, inbound.Concurrency, ConversationOf);
    }

    /// <summary>The ordering key of an inbound message: its conversation's tenant, channel and contact.</summary>
    public static string ConversationOf(InboundMessageReceived message) => $"{message.TenantId:N}:{message.ChannelId:N}:{message.ExternalContactId}";

    /// <summary>
    /// The conversation engine (issue 9): store-first inbound handling, the Redis reply buffer and its flusher, the
    /// <c>ai.reply</c> and <c>conversation.summarize</c> task processors, the lifecycle maintenance, AI budgets, the
    /// knowledge seam (a no-knowledge default that a knowledge base replaces by registering its own
    /// <see cref="IKnowledgeRetriever"/>) and the dead-letter replay.
    /// </summary>
    public static void AddConversationEngine(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReplyBufferOptions>().BindConfiguration(ReplyBufferOptions.SectionName);
        builder.Services.AddOptions<ConversationLifecycleOptions>().BindConfiguration(ConversationLifecycleOptions.SectionName);
        builder.Services.AddOptions<AiBudgetOptions>().BindConfiguration(AiBudgetOptions.SectionName);
        builder.Services.AddOptions<ContextBudget>().BindConfiguration(ContextBudget.SectionName);

        builder.Services.AddSingleton<FlushAlarm>();
        builder.Services.AddSingleton<ReplyBuffer>();
        builder.Services.AddHostedService<ReplyBufferFlusher>();
        builder.Services.AddScoped<ReplyTasks>();
        builder.Services.AddScoped<ReplyWriter>();
        builder.Services.AddScoped<IKnowledgeRetriever, KnowledgeBaseRetriever>();
        builder.Services.AddSingleton<TokenCounter>();
        builder.Services.AddSingleton<ConversationContext>();
        builder.Services.AddSingleton<AiBudget>();
        builder.Services.AddTaskProcessor<AiReplyProcessor>();
        builder.Services.AddTaskProcessor<ConversationSummarizeProcessor>();
        builder.Services.AddSingleton<ConversationLifecycleService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ConversationLifecycleService>());
        builder.Services.AddSingleton<DeadLetterReplayer>();
    }
}
