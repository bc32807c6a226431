using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Npgsql;
using SaasAssistants.Database.Notifications;

namespace SaasAssistants.WebApp.Conversations;

/// <summary>
/// Delivery states (sent, delivered, read, failed) live on the conversation page. Whatever moves a message's state
/// (the Gateway's status webhooks, the send task) fires a PostgreSQL notification at commit (trigger
/// messages_delivery_notify, migration 0018), so no service needs to know the CRM listens. Every WebApp instance listens
/// and pushes to its own SignalR connections; the group carries the notification's tenant, so a change reaches only
/// that tenant's agents. A change notified while this listener was reconnecting is seen on the page's next load.
/// </summary>
public sealed class DeliveryStatusListener(NpgsqlDataSource dataSource, IHubContext<ConversationHub> hub, ILogger<DeliveryStatusListener> logger)
    : BackgroundService
{
    public const string Channel = "message_delivery";
    public const string DeliveryChangedMethod = "deliveryChanged";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Notifications arrive on the listening connection's thread; the pushes happen here, off it.
        var changes = System.Threading.Channels.Channel.CreateBounded<DeliveryChange>(new BoundedChannelOptions(10_000)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var listener = new PostgresListener(dataSource, Channel, logger);
        var listening = listener.RunAsync(payload =>
        {
            if (Parse(payload) is { } change)
            {
                changes.Writer.TryWrite(change);
            }
        }, onListening: null, whileDown: "delivery states reach open pages on their next load", stoppingToken);

        try
        {
            await foreach (var change in changes.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await hub.Clients.Group(ConversationGroups.Conversation(change.TenantId, change.ConversationId))
                        .SendAsync(DeliveryChangedMethod, change, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Could not push the delivery state of message {MessageId}", change.MessageId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await listening;
    }

    private DeliveryChange? Parse(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<DeliveryChange>(payload, Json);
        }
        catch (JsonException ex)
        {
            logger.LogWarning(ex, "Ignored a malformed {Channel} notification", Channel);
            return null;
        }
    }
}
