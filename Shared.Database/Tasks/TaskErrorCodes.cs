namespace SaasAssistants.Database.Tasks;

/// <summary>Error codes that more than one component writes or reads; processors may add their own.</summary>
public static class TaskErrorCodes
{
    /// <summary>The worker holding the task stopped renewing its lease (it died or hung); set by the rescuer.</summary>
    public const string LeaseExpired = "lease_expired";

    /// <summary>The payload names an AI provider that is not configured: retrying cannot help.</summary>
    public const string ProviderNotConfigured = "provider_not_configured";
}
