namespace SaasAssistants.Contracts.Events;

/// <summary>Names on the bus that producers and consumers must agree on.</summary>
public static class EventBusNames
{
    /// <summary>One topic exchange for all integration events; the routing key is the event's type name.</summary>
    public const string Exchange = "saas.events";

    /// <summary>Where a queue's rejected or expired messages go; each queue has its own bound "{queue}.dlq".</summary>
    public const string DeadLetterExchange = "saas.events.dlx";

    /// <summary>AMQP header that carries the tenant next to the payload, so a consumer can route without parsing.</summary>
    public const string TenantHeader = "tenant-id";
}
