using System.Text.Json;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.Database.Tasks;

/// <summary>Something a task produced (task_artifacts): inline text or JSON, or the uri of a file or link.</summary>
public sealed class TaskArtifact : ITenantOwned
{
    private TaskArtifact()
    {
    }

    public Guid Id { get; private set; }
    public Guid TenantId { get; set; }
    public Guid TaskId { get; private set; }
    public TaskArtifactKind Kind { get; private set; }

    /// <summary>Set for <see cref="TaskArtifactKind.Text"/> and <see cref="TaskArtifactKind.Json"/>.</summary>
    public string? Content { get; private set; }

    /// <summary>Set for <see cref="TaskArtifactKind.File"/> and <see cref="TaskArtifactKind.Link"/>.</summary>
    public string? Uri { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static TaskArtifact Text(Guid tenantId, Guid taskId, string content, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(content);
        return New(tenantId, taskId, TaskArtifactKind.Text, content, null, at);
    }

    public static TaskArtifact Json(Guid tenantId, Guid taskId, string json, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("A JSON artifact must be JSON.", nameof(json), ex);
        }
        return New(tenantId, taskId, TaskArtifactKind.Json, json, null, at);
    }

    public static TaskArtifact File(Guid tenantId, Guid taskId, string uri, DateTimeOffset at) =>
        New(tenantId, taskId, TaskArtifactKind.File, null, RequireAbsoluteUri(uri), at);

    public static TaskArtifact Link(Guid tenantId, Guid taskId, string uri, DateTimeOffset at) =>
        New(tenantId, taskId, TaskArtifactKind.Link, null, RequireAbsoluteUri(uri), at);

    private static TaskArtifact New(Guid tenantId, Guid taskId, TaskArtifactKind kind, string? content, string? uri, DateTimeOffset at)
    {
        if (tenantId == Guid.Empty)
        {
            throw new ArgumentException("An artifact belongs to a tenant.", nameof(tenantId));
        }

        return new TaskArtifact
        {
            Id = Guid.CreateVersion7(at),
            TenantId = tenantId,
            TaskId = taskId,
            Kind = kind,
            Content = content,
            Uri = uri,
            CreatedAt = at,
        };
    }

    private static string RequireAbsoluteUri(string uri)
    {
        if (!System.Uri.TryCreate(uri, UriKind.Absolute, out _))
        {
            throw new ArgumentException("A file or link artifact needs an absolute uri.", nameof(uri));
        }

        return uri;
    }
}
