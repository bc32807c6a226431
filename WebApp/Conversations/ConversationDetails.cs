namespace SaasAssistants.WebApp.Conversations;

/// <summary>What the conversation page's header and action bar need besides the list row.</summary>
public sealed record ConversationDetails(
    ConversationSummary Summary,
    string State,
    string Handoff,
    string? HandoffReason,
    Guid? AssignedAgentId,
    string? AssignedAgentName,
    bool HasAssistant,
    string? ChannelProvider,
    DateTimeOffset? LastCustomerMessageAt,
    int Version)
{
    public bool IsEnded => Database.Conversations.ConversationState.IsEnded(State);

    public bool IsWhatsApp => Summary.ChannelType == Database.Entities.ChannelTypes.WhatsApp;

    public bool IsInstagram => Summary.ChannelType == Database.Entities.ChannelTypes.Instagram;

    /// <summary>Channels whose messaging window (24 hours from the customer's last message) limits what may be sent.</summary>
    public bool HasServiceWindow => IsWhatsApp || IsInstagram;
}
