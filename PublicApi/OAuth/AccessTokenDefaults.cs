namespace SaasAssistants.PublicApi.OAuth;

public static class AccessTokenDefaults
{
    /// <summary>JwtBearer's scheme for the access tokens of POST /oauth/token.</summary>
    public const string Scheme = "Bearer";
    public const string TokenPath = "/oauth/token";
}
