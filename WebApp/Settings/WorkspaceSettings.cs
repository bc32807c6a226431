namespace SaasAssistants.WebApp.Settings;

/// <summary>The workspace's settings as the page shows them; the plan is read-only here (billing changes it).</summary>
public sealed record WorkspaceSettings(string Name, string TimeZone, string? Language, string Plan)
{
    public const int MaxNameLength = 200;

    /// <summary>The languages the CRM and the widget speak; null means each user's browser decides.</summary>
    public static readonly string[] Languages = ["pt-BR", "en"];
}
