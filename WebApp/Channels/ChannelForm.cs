namespace SaasAssistants.WebApp.Channels;

/// <summary>
/// The connect and edit forms' fields. Which apply depends on the kind: Meta's (WhatsApp, Instagram) take the account
/// id, access token, app secret and verify token; Twilio's the AccountSid, auth token and sender number; the widget
/// its allowed origins. On edit, an empty secret keeps the stored one.
/// </summary>
public sealed class ChannelForm
{
    public string? Kind { get; set; }
    public string? Name { get; set; }
    public Guid? AssistantId { get; set; }
    /// <summary>WhatsApp's phone number id, Instagram's account id, or Twilio's WhatsApp sender number.</summary>
    public string? AccountId { get; set; }
    public string? AccessToken { get; set; }
    public string? AppSecret { get; set; }
    public string? VerifyToken { get; set; }
    public string? TwilioAccountSid { get; set; }
    public string? TwilioAuthToken { get; set; }
    /// <summary>One origin per line (or separated by commas or spaces).</summary>
    public string? AllowedOrigins { get; set; }
}
