using SaasAssistants.Database.ApiKeys;

namespace SaasAssistants.PublicApi.Authentication;

/// <summary>
/// What a caller may do, checked per endpoint (the names live in Shared.Database's <see cref="ApiKeyScopes"/>, which the CRM offers too). An API key grants its stored scopes (every scope when none are stored);
/// an access token carries the scopes asked for at POST /oauth/token, at most its key's.
/// </summary>
public static class ApiScopes
{
    public const string ClaimType = "scope";

    public const string TenantRead = ApiKeyScopes.TenantRead;
    public const string AssistantsRead = ApiKeyScopes.AssistantsRead;
    public const string AssistantsWrite = ApiKeyScopes.AssistantsWrite;
    public const string ConversationsRead = ApiKeyScopes.ConversationsRead;
    public const string ConversationsWrite = ApiKeyScopes.ConversationsWrite;
    public const string ContactsRead = ApiKeyScopes.ContactsRead;
    public const string ContactsWrite = ApiKeyScopes.ContactsWrite;
    public const string TasksRead = ApiKeyScopes.TasksRead;
    public const string TasksWrite = ApiKeyScopes.TasksWrite;
    public const string WebhooksRead = ApiKeyScopes.WebhooksRead;
    public const string WebhooksWrite = ApiKeyScopes.WebhooksWrite;
    public const string KnowledgeRead = ApiKeyScopes.KnowledgeRead;
    public const string KnowledgeWrite = ApiKeyScopes.KnowledgeWrite;

    public static readonly string[] All = ApiKeyScopes.All;

    /// <summary>The space-separated list of RFC 6749 §3.3, as both credentials carry it in the "scope" claim.</summary>
    public static string Join(IEnumerable<string> scopes) => string.Join(' ', scopes);

    public static string[] Split(string? scope) => scope?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
}
