namespace SaasAssistants.PublicApi.Authentication;

public static class PublicApiAuthentication
{
    /// <summary>The policy scheme endpoints require: it forwards to "ApiKey" or "Bearer" by the credential the request carries.</summary>
    public const string Scheme = "PublicApi";
}
