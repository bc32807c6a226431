using System.Text.Json.Serialization;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.PublicApi.Assistants;

/// <summary>An AI assistant of the tenant.</summary>
/// <param name="Id">The assistant's id.</param>
/// <param name="WorkspaceId">The workspace it belongs to.</param>
/// <param name="Name">Its name.</param>
/// <param name="SystemPrompt">Its instructions.</param>
/// <param name="Greeting">The web widget's first message, or null.</param>
/// <param name="BufferTimeoutMs">Quiet time before buffered messages are answered together.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
public sealed record AssistantResponse(
    Guid Id,
    Guid WorkspaceId,
    string Name,
    string SystemPrompt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Greeting,
    int BufferTimeoutMs,
    DateTimeOffset CreatedAt)
{
    public static AssistantResponse From(Assistant a) => new(a.Id, a.WorkspaceId, a.Name, a.SystemPrompt, a.Greeting, a.BufferTimeoutMs, a.CreatedAt);
}
