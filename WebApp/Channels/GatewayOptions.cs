namespace SaasAssistants.WebApp.Channels;

/// <summary>
/// Configuration section "Gateway": where Meta, Twilio and the tenants' web pages reach the Gateway. The AppHost sets
/// it to the Gateway's endpoint; a deployment sets its public address. The callback URLs and the widget snippet use it.
/// </summary>
public sealed class GatewayOptions
{
    public string PublicUrl { get; set; } = "http://localhost:5101";

    public string Url(string path) => PublicUrl.TrimEnd('/') + path;
}
