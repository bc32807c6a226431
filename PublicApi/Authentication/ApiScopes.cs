namespace SaasAssistants.PublicApi.Authentication;

/// <summary>
/// What a caller may do, checked per endpoint. An API key grants its stored scopes (every scope when none are stored);
/// an access token carries the scopes asked for at POST /oauth/token, at most its key's.
/// </summary>
public static class ApiScopes
{
    public const string ClaimType = "scope";

    public const string TenantRead = "tenant:read";
    public const string AssistantsRead = "assistants:read";
    public const string AssistantsWrite = "assistants:write";
    public const string ConversationsRead = "conversations:read";
    public const string ConversationsWrite = "conversations:write";
    public const string ContactsRead = "contacts:read";
    public const string ContactsWrite = "contacts:write";
    public const string TasksRead = "tasks:read";
    public const string TasksWrite = "tasks:write";
    public const string WebhooksRead = "webhooks:read";
    public const string WebhooksWrite = "webhooks:write";
    public const string KnowledgeRead = "knowledge:read";
    public const string KnowledgeWrite = "knowledge:write";

    public static readonly string[] All =
    [
        TenantRead, AssistantsRead, AssistantsWrite, ConversationsRead, ConversationsWrite, ContactsRead, ContactsWrite,
        TasksRead, TasksWrite, WebhooksRead, WebhooksWrite, KnowledgeRead, KnowledgeWrite,
    ];

    /// <summary>The space-separated list of RFC 6749 §3.3, as both credentials carry it in the "scope" claim.</summary>
    public static string Join(IEnumerable<string> scopes) => string.Join(' ', scopes);

    public static string[] Split(string? scope) => scope?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
}
