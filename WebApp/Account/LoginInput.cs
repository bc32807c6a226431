namespace SaasAssistants.WebApp.Account;

public sealed class LoginInput
{
    public string? Email { get; set; }
    public string? Password { get; set; }
}
