namespace SaasAssistants.WebApp.Account;

public sealed class SignUpInput
{
    public string? OrganizationName { get; set; }
    public string? OwnerName { get; set; }
    public string? Email { get; set; }
    public string? Password { get; set; }
}
