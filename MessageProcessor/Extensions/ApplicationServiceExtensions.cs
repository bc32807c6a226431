using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Database;
using SaasAssistants.MessageProcessor.Ai;
using SaasAssistants.MessageProcessor.Channels;
using SaasAssistants.MessageProcessor.Conversations;
using SaasAssistants.MessageProcessor.Diagnostics;
using SaasAssistants.MessageProcessor.Knowledge;
using SaasAssistants.MessageProcessor.Tasks;
using SaasAssistants.EventBus;

namespace SaasAssistants.MessageProcessor.Extensions;

public static class ApplicationServiceExtensions
{
    /// <summary>Queue this worker consumes InboundMessageReceived from; its name is the service's, by convention.</summary>
    public const string InboundMessagesQueue = "message-processor.inbound-messages";

    // The consumer handles one delivery at a time; prefetch only saves the broker round-trip between them.
    private const ushort InboundPrefetch = 8;

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddSaasDatabase();
        builder.AddEventBus("messaging");
        builder.AddOutboxRelay();
        builder.AddTaskEngine();
        builder.AddKnowledgeIndexing();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<MessageProcessorMetrics>();

        // The local responder until real providers arrive: replies with no network and no key.
        builder.Services.AddSingleton<IChatClient, LocalResponderChatClient>();

        builder.AddChannelSending();

        builder.AddEventConsumer<InboundMessageReceived, InboundMessageHandler>(InboundMessagesQueue, EventQueueKind.Durable, InboundPrefetch);
    }
}
