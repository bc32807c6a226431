namespace SaasAssistants.PublicApi.OAuth;

/// <summary>Configuration section PublicApi:AccessTokens: how POST /oauth/token's JWTs are made and their keys rotated.</summary>
public sealed class AccessTokenOptions
{
    public const string Section = "PublicApi:AccessTokens";

    public string Issuer { get; set; } = "https://api.saasassistants.com";
    public string Audience { get; set; } = "saasassistants-public-api";
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one key signs before the next takes over.</summary>
    public TimeSpan KeyRotation { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A new key signs only this long after it was created: longer than <see cref="KeyRefresh"/>, so every instance knows it by then.</summary>
    public TimeSpan KeyActivationDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often an instance re-reads the keys (and creates the next one when it is due).</summary>
    public TimeSpan KeyRefresh { get; set; } = TimeSpan.FromMinutes(1);
}
