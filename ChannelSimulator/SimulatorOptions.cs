namespace SaasAssistants.ChannelSimulator;

/// <summary>
/// Configuration section <c>Simulator</c>: where the Gateway is, and the channels the simulator plays Meta for. The
/// values are the same as the development seed's (<c>Seed:WhatsApp:*</c>, <c>Seed:Instagram:*</c>), so both sides agree.
/// </summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <summary>The Gateway's base URL, where signed webhooks are posted.</summary>
    public Uri GatewayUrl { get; set; } = new("http://localhost:5100/");

    public SimulatedChannel WhatsApp { get; set; } = new();

    public SimulatedChannel Instagram { get; set; } = new();

    /// <summary>A WhatsApp number through Twilio: AccountId is the AccountSid, AppSecret the auth token, AccessToken unused.</summary>
    public SimulatedChannel Twilio { get; set; } = new();

    /// <summary>The Twilio channel's own WhatsApp number, e.g. +14155238886.</summary>
    public string TwilioNumber { get; set; } = "+14155238886";

    /// <summary>The pause between the statuses of a send (sent, delivered, read), as a phone would take.</summary>
    public TimeSpan StatusDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Posts a WhatsApp send's statuses before answering the send, as Meta can: its "sent" webhook may reach the Gateway
    /// before the send's HTTP answer reaches the sender, which then does not know the wamid yet.
    /// </summary>
    public bool StatusesBeforeReply { get; set; }

    /// <summary>WhatsApp's customer-service window, after which a free-form send fails with 131047.</summary>
    public TimeSpan ServiceWindow { get; set; } = TimeSpan.FromHours(24);
}

/// <summary>One channel: its callback key, its id at Meta (phone_number_id or Instagram account id), and its secrets.</summary>
public sealed class SimulatedChannel
{
    public string? ChannelKey { get; set; }

    /// <summary>WhatsApp phone_number_id, or the Instagram account id.</summary>
    public string? AccountId { get; set; }

    public string? AppSecret { get; set; }

    /// <summary>The bearer token our sends must present; null accepts any.</summary>
    public string? AccessToken { get; set; }

    public bool IsConfigured => ChannelKey is not null && AccountId is not null && AppSecret is not null;
}
