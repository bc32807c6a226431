namespace SaasAssistants.WebApp.Account;

public static class SignUpDefaults
{
    public const string Path = "/signup";
    public const int MinPasswordLength = 10;
    public const string DefaultTimeZone = "America/Sao_Paulo";
}
