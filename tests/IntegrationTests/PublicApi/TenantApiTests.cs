using System.Net;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

public sealed class TenantApiTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    [Fact]
    public async Task The_tenant_and_this_month_s_usage_count_only_its_own_rows_since_the_month_began()
    {
        var tenant = await api.Arrange.AddTenantAsync("Counts its usage");
        var now = DateTimeOffset.UtcNow;
        await api.Arrange.AddConversationAsync(tenant, "Ana", now);
        var taskId = await api.Arrange.AddTaskAsync(tenant, "Succeeded", "ai.generate", startedAt: now, finishedAt: now);
        await api.Arrange.AddAttemptAsync(tenant, taskId, 1, "Failed", now.AddSeconds(-2), now.AddSeconds(-1), "gpt-4o-mini", 100, 0, 0.0001m);
        await api.Arrange.AddAttemptAsync(tenant, taskId, 2, "Succeeded", now.AddSeconds(-1), now, "gpt-4o-mini", 1200, 300, 0.00036m);
        // Last month's usage: a day before the month began in São Paulo (UTC-3, no daylight saving since 2019).
        var saoPaulo = now.ToOffset(TimeSpan.FromHours(-3));
        var lastMonth = new DateTimeOffset(saoPaulo.Year, saoPaulo.Month, 1, 0, 0, 0, TimeSpan.FromHours(-3)).AddDays(-1).ToUniversalTime();
        var oldTask = await api.Arrange.AddTaskAsync(tenant, "Succeeded", "ai.generate", createdAt: lastMonth, startedAt: lastMonth, finishedAt: lastMonth);
        await api.Arrange.AddAttemptAsync(tenant, oldTask, 1, "Succeeded", lastMonth, lastMonth, "gpt-4o-mini", 5000, 5000, 1m);
        await api.Arrange.AddConversationAsync(tenant, "Bruno", lastMonth);
        using var client = api.Client(tenant.ApiKey);

        var body = await (await client.GetAsync("/api/v2/tenant")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(tenant.TenantId, body.GetProperty("id").GetGuid());
        Assert.Equal("Counts its usage", body.GetProperty("name").GetString());
        Assert.Equal("trial", body.GetProperty("plan").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal(1, usage.GetProperty("messagesInbound").GetInt64());
        Assert.Equal(1, usage.GetProperty("messagesOutbound").GetInt64());
        Assert.Equal(1300, usage.GetProperty("aiTokensIn").GetInt64());
        Assert.Equal(300, usage.GetProperty("aiTokensOut").GetInt64());
        Assert.Equal(0.00046m, usage.GetProperty("aiCostUsd").GetDecimal());
        // The month starts at midnight in São Paulo: 03:00 UTC.
        Assert.Equal(3, usage.GetProperty("periodStart").GetDateTimeOffset().UtcDateTime.Hour);
    }
}
