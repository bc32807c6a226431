namespace SaasAssistants.Database.Entities;

public sealed class Tenant
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public string Plan { get; set; } = "trial";
    public string Status { get; set; } = TenantStatus.Active;
    public string TimeZone { get; set; } = "America/Sao_Paulo";
    /// <summary>The tenant's own monthly AI budget in USD; null: its plan's (Ai:Budgets).</summary>
    public decimal? AiMonthlyBudgetUsd { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The workspace's language (pt-BR or en); null: each user's browser decides.</summary>
    public string? Language { get; set; }
}

public static class TenantStatus
{
    public const string Active = "active";
    public const string Suspended = "suspended";
    public const string Cancelled = "cancelled";
}
