namespace SaasAssistants.PublicApi.OAuth;

public static class AccessTokenDefaults
{
    /// <summary>JwtBearer's scheme for the access tokens of POST /oauth/token.</summary>
    public const string Scheme = "Bearer";
    public const string TokenPath = "/oauth/token";

    /// <summary>Where the public halves of the signing keys are published, for partners that verify tokens themselves.</summary>
    public const string JwksPath = "/.well-known/jwks.json";
}
