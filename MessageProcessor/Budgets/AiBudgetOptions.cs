namespace SaasAssistants.MessageProcessor.Budgets;

/// <summary>
/// <c>Ai:Budgets</c>: each plan's monthly AI budget in USD (a tenant's <c>ai_monthly_budget_usd</c> overrides it).
/// A plan without an entry has no limit.
/// </summary>
public sealed class AiBudgetOptions
{
    public const string SectionName = "Ai:Budgets";

    public Dictionary<string, decimal> Plans { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["trial"] = 5m,
        ["starter"] = 50m,
        ["pro"] = 300m,
    };
}
