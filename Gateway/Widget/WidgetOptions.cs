namespace SaasAssistants.Gateway.Widget;

public sealed class WidgetOptions
{
    /// <summary>How long a visitor session stays valid; the widget starts a new one after that.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A comment line sent this often keeps idle live connections open through proxies.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);
}
