namespace SaasAssistants.ServiceDefaults.Health;

/// <summary>Tags that decide which endpoint runs a check: /alive runs only "live", /health runs everything.</summary>
public static class HealthTags
{
    /// <summary>The process is up and not wedged; failing it means "restart me".</summary>
    public const string Live = "live";

    /// <summary>A dependency the service needs to do useful work; failing it means "don't send me traffic yet".</summary>
    public const string Ready = "ready";
}
