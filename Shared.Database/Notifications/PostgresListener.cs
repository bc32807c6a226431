using Microsoft.Extensions.Logging;
using Npgsql;

namespace SaasAssistants.Database.Notifications;

/// <summary>
/// Holds one dedicated connection that LISTENs on a PostgreSQL notification channel for as long as the token runs,
/// and replaces it (with <see cref="Backoff.Reconnect"/>) whenever it drops. Used by the outbox relay (wake up on
/// a committed row) and the task engine (stop a cancelled task).
/// </summary>
public sealed class PostgresListener(NpgsqlDataSource dataSource, string channel, ILogger logger)
{
    // A quiet connection is pinged now and then, so a silently dropped one is noticed and replaced.
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);

    /// <param name="onNotification">Gets each notification's payload, on the listening connection's thread: keep it short.</param>
    /// <param name="onListening">Called whenever LISTEN is (re-)established: what was notified while nobody listened is lost.</param>
    /// <param name="whileDown">Logged once per outage: what covers for the listener meanwhile.</param>
    public async Task RunAsync(Action<string> onNotification, Action? onListening, string whileDown, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, notification) => onNotification(notification.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                failures = 0;
                onListening?.Invoke();
                while (true)
                {
                    if (!await connection.WaitAsync(KeepAlive, cancellationToken))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteNonQueryAsync(cancellationToken);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                if (failures == 1)
                {
                    logger.LogWarning(ex, "Lost the LISTEN {Channel} connection; {WhileDown} until it is back", channel, whileDown);
                }

                await Task.Delay(Backoff.Reconnect(failures), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
