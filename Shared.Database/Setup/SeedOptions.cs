namespace SaasAssistants.Database.Setup;

public sealed record SeedOptions
{
    /// <summary>
    /// The demo API key (<c>sa_{prefix}_{secret}</c>, see ApiKeyFormat). When it differs from the stored one, the stored
    /// one is replaced. Pass one (the AppHost always does): without it a key is generated, and since only its hash is
    /// stored, it can be returned only by the run that created it.
    /// </summary>
    public string? ApiKey { get; init; }

    /// <summary>The demo web channel's public token; generated (<c>wc_…</c>) when null, replaced when it differs.</summary>
    public string? WebChannelToken { get; init; }

    public string AgentEmail { get; init; } = "agent@demo.local";

    public string AgentPassword { get; init; } = "demo-agent-1";

    /// <summary>Base64 of 32 bytes: the deployment's key that encrypts the channel's secret (Secrets:EncryptionKey).</summary>
    public required string EncryptionKey { get; init; }
}
