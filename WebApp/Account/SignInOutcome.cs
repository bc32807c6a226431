namespace SaasAssistants.WebApp.Account;

/// <summary>What checking an email and password found: a verified user, wrong credentials, or a locked account.</summary>
public sealed record SignInOutcome(SignInCandidate? User, DateTimeOffset? LockedUntil)
{
    public static readonly SignInOutcome Invalid = new(null, null);

    public bool IsLockedOut => LockedUntil is not null;

    public static SignInOutcome Verified(SignInCandidate user) => new(user, null);

    public static SignInOutcome Locked(DateTimeOffset until) => new(null, until);
}
