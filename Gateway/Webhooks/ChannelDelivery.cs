namespace SaasAssistants.Gateway.Webhooks;

/// <summary>What one webhook delivery carried: customer messages (one event each) and reports on our own sends.</summary>
public sealed record ChannelDelivery(IReadOnlyList<ReceivedMessage> Messages, IReadOnlyList<DeliveryUpdate> Statuses);
