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

    /// <summary>The demo WhatsApp channel's settings; every one absent is generated (then kept).</summary>
    public WhatsAppSeedOptions WhatsApp { get; init; } = new();

    /// <summary>The demo Instagram channel's settings; every one absent is generated (then kept).</summary>
    public InstagramSeedOptions Instagram { get; init; } = new();

    /// <summary>Base64 of 32 bytes: the deployment's key that encrypts the channel's secret (Secrets:EncryptionKey).</summary>
    public required string EncryptionKey { get; init; }
}

/// <summary>
/// The demo WhatsApp channel (configuration <c>Seed:WhatsApp:*</c>): each value absent is generated on first run and
/// then kept; a value given replaces the stored one. The channel simulator is configured with the same values.
/// </summary>
public sealed record WhatsAppSeedOptions
{
    public string? ChannelKey { get; init; }
    public string? PhoneNumberId { get; init; }
    public string? VerifyToken { get; init; }
    public string? AppSecret { get; init; }
    public string? AccessToken { get; init; }
}

/// <summary>The demo Instagram channel (configuration <c>Seed:Instagram:*</c>), like <see cref="WhatsAppSeedOptions"/>.</summary>
public sealed record InstagramSeedOptions
{
    public string? ChannelKey { get; init; }
    public string? AccountId { get; init; }
    public string? VerifyToken { get; init; }
    public string? AppSecret { get; init; }
    public string? AccessToken { get; init; }
}
