namespace SaasAssistants.Database.Entities;

/// <summary>
/// Who did what and when to something the tenant may be asked about (a contact's LGPD export or erasure, the workspace's
/// settings). Written in the same transaction as the change it records; never updated.
/// </summary>
public sealed class AuditEvent : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    /// <summary>The user who acted; null for the system.</summary>
    public Guid? ActorId { get; set; }
    /// <summary>The actor's name at the time, so the trail still reads after the user is gone.</summary>
    public required string ActorName { get; set; }
    public required string Action { get; set; }
    public required string SubjectType { get; set; }
    public Guid SubjectId { get; set; }
    /// <summary>A JSON object with the action's figures (counts, changed fields), never personal data.</summary>
    public string Details { get; set; } = "{}";
    public DateTimeOffset OccurredAt { get; set; }
}

public static class AuditActions
{
    public const string ContactUpdated = "contact.updated";
    public const string ContactExported = "contact.exported";
    public const string ContactErased = "contact.erased";
    public const string SettingsUpdated = "settings.updated";
    public const string TenantSignedUp = "tenant.signed_up";
}
