namespace SaasAssistants.WebApp.Conversations;

/// <summary>
/// An outbound message's new state at the channel, as the messages_delivery_notify trigger (migration 0018) announces it
/// and the hub's deliveryChanged pushes it.
/// </summary>
public sealed record DeliveryChange(Guid TenantId, Guid ConversationId, Guid MessageId, string? Status, string? Error);
