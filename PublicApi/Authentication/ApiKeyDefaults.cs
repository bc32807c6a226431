namespace SaasAssistants.PublicApi.Authentication;

public static class ApiKeyDefaults
{
    public const string Scheme = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string TenantIdClaim = "tenant_id";
    public const string ApiKeyIdClaim = "api_key_id";
    public const string PlanClaim = "plan";
}
