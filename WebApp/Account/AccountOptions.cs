namespace SaasAssistants.WebApp.Account;

/// <summary>Configuration section "Account".</summary>
public sealed class AccountOptions
{
    /// <summary>
    /// How often a session re-checks that its user and tenant may still sign in, and the user's role. Zero (the default):
    /// every request, one primary-key lookup, so a removed user or a suspended tenant is out on the next request.
    /// </summary>
    public TimeSpan RevalidateSessionAfter { get; set; } = TimeSpan.Zero;

    /// <summary>Sign-in attempts per client address and minute, against password guessing.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>Wrong passwords in a row that lock an account, from any address (the per-account lockout).</summary>
    public int LockoutAfterFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account refuses every sign-in, the right password included.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}
