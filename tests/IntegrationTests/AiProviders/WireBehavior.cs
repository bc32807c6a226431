namespace SaasAssistants.IntegrationTests.AiProviders;

/// <summary>How <see cref="ProviderWireServer"/> answers the next requests.</summary>
public enum WireBehavior
{
    Answer,
    RateLimited,
    ServerError,
    BadRequest,
    Unauthorized,
    /// <summary>Answers normally after <see cref="ProviderWireServer.Delay"/>: longer than the client's timeout, in the tests.</summary>
    Slow,
    MalformedJson,
}
