namespace SaasAssistants.Database.Tenancy;

/// <summary>
/// The tenant the current unit of work acts for (one per request or per consumed message).
/// Everything tenant-owned is read and written through it: EF's query filter, the row stamp on insert,
/// and PostgreSQL's row level security via the app.tenant_id setting.
/// </summary>
public interface ITenantContext
{
    Guid? TenantId { get; }

    /// <summary>Sets the tenant once; a second, different tenant in the same scope is a bug and throws.</summary>
    void SetTenant(Guid tenantId);
}
