namespace SaasAssistants.MessageProcessor.Ai;

/// <summary>What a customer's message is about, as far as the local responder can tell from keywords.</summary>
public enum CustomerIntent
{
    Other,
    Greeting,
    Thanks,
    OpeningHours,
    Price,
    HumanAgent,
}
