namespace SaasAssistants.WebApp.Contacts;

/// <summary>A line of a contact's audit trail: who did what, when.</summary>
public sealed record AuditEntry(string ActorName, string Action, string Details, DateTimeOffset OccurredAt);
