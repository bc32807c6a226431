namespace SaasAssistants.WebApp.Account;

/// <summary>Configuration section "Account".</summary>
public sealed class AccountOptions
{
    /// <summary>How often a session re-checks that its user and tenant may still sign in (a suspension ends sessions within this time).</summary>
    public TimeSpan RevalidateSessionAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Sign-in attempts per client address and minute, against password guessing.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;
}
