using SaasAssistants.Database.Entities;

namespace SaasAssistants.WebApp.Channels;

/// <summary>
/// What a tenant connects, as the page names it: Twilio is a WhatsApp channel whose provider is Twilio, so the kind is
/// derived from type and provider. Each kind has its Gateway callback path (the web widget has its script instead).
/// </summary>
public static class ChannelKinds
{
    public const string WhatsApp = "whatsapp";
    public const string Instagram = "instagram";
    public const string Twilio = "twilio";
    public const string Web = "web";

    public static readonly string[] All = [WhatsApp, Instagram, Twilio, Web];

    public static string Of(Channel channel) => channel.Type switch
    {
        ChannelTypes.WhatsApp when channel.Provider == ChannelProviders.Twilio => Twilio,
        ChannelTypes.WhatsApp => WhatsApp,
        ChannelTypes.Instagram => Instagram,
        _ => Web,
    };

    /// <summary>The Gateway path the provider calls back, or null for the web widget.</summary>
    public static string? CallbackPath(string kind, string channelKey) => kind switch
    {
        WhatsApp => $"/v1/webhooks/whatsapp/{channelKey}",
        Instagram => $"/v1/webhooks/instagram/{channelKey}",
        Twilio => $"/v1/webhooks/twilio/{channelKey}",
        _ => null,
    };
}
