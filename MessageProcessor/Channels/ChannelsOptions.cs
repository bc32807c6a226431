namespace SaasAssistants.MessageProcessor.Channels;

/// <summary>Where outbound sends go (configuration section <c>Channels</c>): Meta's Graph API, or the channel simulator.</summary>
public sealed class ChannelsOptions
{
    public const string SectionName = "Channels";

    /// <summary>The Graph API's base URL; the channel simulator's in development and tests.</summary>
    public Uri GraphBaseUrl { get; set; } = new("https://graph.facebook.com/");

    /// <summary>The Graph API version every send names, e.g. v23.0.</summary>
    public string GraphVersion { get; set; } = "v23.0";

    /// <summary>Twilio's REST API base URL (WhatsApp through Twilio); the channel simulator's in development and tests.</summary>
    public Uri TwilioBaseUrl { get; set; } = new("https://api.twilio.com/");

    /// <summary>WhatsApp's customer-service window: free-form messages only this long after the customer's last message.</summary>
    public TimeSpan ServiceWindow { get; set; } = TimeSpan.FromHours(24);
}
