namespace SaasAssistants.Database.ApiKeys;

/// <summary>
/// The public API's scopes, which an API key stores (<c>api_keys.scopes</c>; null grants every scope). Here, not in the
/// PublicApi, because the CRM creates keys too and offers the same list.
/// </summary>
public static class ApiKeyScopes
{
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
}
