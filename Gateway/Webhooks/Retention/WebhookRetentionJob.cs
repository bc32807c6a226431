using Microsoft.Extensions.Options;
using Npgsql;

namespace SaasAssistants.Gateway.Webhooks.Retention;

/// <summary>
/// Drops webhook payloads after <see cref="WebhookRetentionOptions.PayloadDays"/> and audit rows after
/// <see cref="WebhookRetentionOptions.RowDays"/>, through webhook_events_apply_retention() (it spans every tenant).
/// </summary>
public sealed partial class WebhookRetentionJob(NpgsqlDataSource dataSource, IOptions<WebhookRetentionOptions> options, TimeProvider time,
    ILogger<WebhookRetentionJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                LogFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<(long PayloadsDropped, long RowsDeleted)> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var command = dataSource.CreateCommand("SELECT payloads_dropped, rows_deleted FROM webhook_events_apply_retention($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = now.AddDays(-options.Value.PayloadDays) });
        command.Parameters.Add(new NpgsqlParameter { Value = now.AddDays(-options.Value.RowDays) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var result = (reader.GetInt64(0), reader.GetInt64(1));
        LogRan(result.Item1, result.Item2);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook retention: {PayloadsDropped} payloads dropped, {RowsDeleted} audit rows deleted")]
    private partial void LogRan(long payloadsDropped, long rowsDeleted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook retention failed; retrying at the next interval")]
    private partial void LogFailed(Exception exception);
}
