namespace SaasAssistants.Database.Entities;

public sealed class Assistant : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public required string SystemPrompt { get; set; }
    public string? Greeting { get; set; }
    /// <summary>How long a conversation must be quiet before its buffered messages are answered together.</summary>
    public int BufferTimeoutMs { get; set; } = 3000;
    /// <summary>Provider chain and model choices, as JSON (shape owned by the AI feature).</summary>
    public string ProviderSettings { get; set; } = "{}";
    /// <summary>Quiet this long, an open conversation goes IDLE_TIMEOUT.</summary>
    public int IdleTimeoutSeconds { get; set; } = 1800;
    /// <summary>Quiet this long, an open conversation EXPIRES (closed; the next message opens a new one).</summary>
    public int ExpireAfterSeconds { get; set; } = 86400;
    public DateTimeOffset CreatedAt { get; set; }
}
