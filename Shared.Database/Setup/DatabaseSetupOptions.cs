namespace SaasAssistants.Database.Setup;

public sealed record DatabaseSetupOptions
{
    /// <summary>The role the services connect as ("saas_app"): a plain login, under row level security.</summary>
    public required string AppRoleName { get; init; }

    /// <summary>Set on every run, so a regenerated password takes effect without dropping the role.</summary>
    public required string AppRolePassword { get; init; }

    /// <summary>The development seed (demo tenant, channel, agent, API key); null seeds nothing.</summary>
    public SeedOptions? Seed { get; init; }
}
