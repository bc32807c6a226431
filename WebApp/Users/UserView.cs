namespace SaasAssistants.WebApp.Users;

public sealed record UserView(Guid Id, string DisplayName, string Email, string Role, DateTimeOffset CreatedAt);
