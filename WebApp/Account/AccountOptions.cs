namespace SaasAssistants.WebApp.Account;

/// <summary>Configuration section "Account".</summary>
public sealed class AccountOptions
{
    /// <summary>How often a session re-checks that its user and tenant may still sign in (a suspension ends sessions within this time).</summary>
    public TimeSpan RevalidateSessionAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Sign-in attempts per client address and minute, against password guessing.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>Wrong passwords in a row that lock an account, from any address (the per-account lockout).</summary>
    public int LockoutAfterFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account refuses every sign-in, the right password included.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}
