namespace SaasAssistants.Database.Setup;

/// <summary>
/// What a developer (or a test) needs to use the demo tenant. <see cref="ApiKey"/> is empty when no key was passed and
/// one already existed: only its hash is stored.
/// </summary>
public sealed record SeedResult(Guid TenantId, string ApiKey, string WebChannelToken, string AgentEmail, string AgentPassword)
{
    /// <summary>The demo WhatsApp channel as stored (secrets in clear): what the channel simulator needs to play Meta.</summary>
    public SeededMessagingChannel? WhatsApp { get; init; }

    /// <summary>The demo Instagram channel as stored (secrets in clear).</summary>
    public SeededMessagingChannel? Instagram { get; init; }
}

/// <summary>A seeded WhatsApp or Instagram channel: callback key, id at Meta (phone_number_id / account id) and its secrets.</summary>
public sealed record SeededMessagingChannel(string ChannelKey, string AccountId, string VerifyToken, string AppSecret, string AccessToken);
