using System.Text.Json;
using RabbitMQ.Client;
using SaasAssistants.Contracts;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Messages;

namespace SaasAssistants.IntegrationTests.WebApp;

/// <summary>Publishes events as the outbox relay does: topic exchange, routing key = event name, JSON payload.</summary>
public sealed class BusPublisher : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private BusPublisher(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<BusPublisher> ConnectAsync(string connectionString)
    {
        var _connection = await new ConnectionFactory { Uri = new Uri(connectionString) }.CreateConnectionAsync();
        var _channel = await _connection.CreateChannelAsync();
        await _channel.ExchangeDeclareAsync(EventBusNames.Exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        return new BusPublisher(_connection, _channel);
    }

    public async Task PublishAsync(IntegrationEvent @event)
    {
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            MessageId = @event.EventId.ToString(),
            Type = @event.EventName,
            Headers = new Dictionary<string, object?> { [EventBusNames.TenantHeader] = @event.TenantId.ToString() },
        };
        await _channel.BasicPublishAsync(EventBusNames.Exchange, @event.EventName, mandatory: false, properties,
            JsonSerializer.SerializeToUtf8Bytes(@event, @event.GetType(), ContractJson.Options));
    }

    public static MessageAdded MessageAdded(ArrangedConversation conversation, ArrangedMessage message) => new()
    {
        TenantId = conversation.TenantId,
        ConversationId = conversation.ConversationId,
        MessageId = message.Id,
        ChannelId = conversation.ChannelId,
        ChannelType = ChannelType.WhatsApp,
        Direction = message.Direction == "inbound" ? MessageDirection.Inbound : MessageDirection.Outbound,
        Content = MessageContent.FromText(message.Text),
        CreatedAt = message.CreatedAt,
    };

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
