namespace SaasAssistants.Database.Entities;

/// <summary>A row that belongs to exactly one tenant; the DbContext stamps and filters it by the current tenant.</summary>
public interface ITenantOwned
{
    Guid TenantId { get; set; }
}
