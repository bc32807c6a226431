namespace SaasAssistants.Contracts.Messages;

public enum ChannelType
{
    Web,
    WhatsApp,
    Instagram,
}
