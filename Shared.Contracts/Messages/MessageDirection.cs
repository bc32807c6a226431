namespace SaasAssistants.Contracts.Messages;

public enum MessageDirection
{
    /// <summary>From the customer to the business.</summary>
    Inbound,
    /// <summary>From the business (assistant or agent) to the customer.</summary>
    Outbound,
}
