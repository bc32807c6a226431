namespace SaasAssistants.PublicApi.Tenants;

/// <summary>The account the credential belongs to, and what it used this month.</summary>
/// <param name="Id">The tenant's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Plan">trial, starter, pro or enterprise: sets the rate limits.</param>
/// <param name="Status">active, suspended or cancelled.</param>
/// <param name="TimeZone">IANA time zone; "this month" is counted in it.</param>
/// <param name="CreatedAt">When the account was created (UTC).</param>
/// <param name="Usage">This month's usage so far.</param>
public sealed record TenantResponse(Guid Id, string Name, string Plan, string Status, string TimeZone, DateTimeOffset CreatedAt, TenantUsage Usage);

/// <summary>Usage from the first day of the month (in the tenant's time zone) until now.</summary>
/// <param name="PeriodStart">The month's first instant, in UTC.</param>
/// <param name="MessagesInbound">Messages the contacts sent.</param>
/// <param name="MessagesOutbound">Messages the assistants and agents sent.</param>
/// <param name="AiTokensIn">Prompt tokens of every AI attempt.</param>
/// <param name="AiTokensOut">Completion tokens of every AI attempt.</param>
/// <param name="AiCostUsd">What those attempts cost, in USD, at the deployment's price table.</param>
public sealed record TenantUsage(DateTimeOffset PeriodStart, long MessagesInbound, long MessagesOutbound, long AiTokensIn, long AiTokensOut, decimal AiCostUsd);
