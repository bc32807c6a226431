namespace SaasAssistants.PublicApi.Tasks;

/// <summary>
/// Times cut to PostgreSQL's microseconds (.NET keeps 100 ns ticks) before they are written, so that a response built
/// from the entity just saved shows the same times as every later read of the row.
/// </summary>
internal static class PostgresClock
{
    public static DateTimeOffset GetUtcNowForPostgres(this TimeProvider time) => ToPostgresPrecision(time.GetUtcNow());

    public static DateTimeOffset ToPostgresPrecision(DateTimeOffset value) => value.AddTicks(-(value.Ticks % TimeSpan.TicksPerMicrosecond));
}
