namespace SaasAssistants.WebApp.Account;

/// <summary>A created owner to sign in, or the code of what was wrong (a resource key: SignUp.Error.{code}).</summary>
public sealed record SignUpResult(SignInCandidate? Owner, string? Error)
{
    public static SignUpResult Created(SignInCandidate owner) => new(owner, null);

    public static SignUpResult Refused(string error) => new(null, error);
}

public static class SignUpErrors
{
    public const string MissingField = "missing_field";
    public const string InvalidEmail = "invalid_email";
    public const string PasswordTooShort = "password_too_short";
    public const string EmailTaken = "email_taken";
}
