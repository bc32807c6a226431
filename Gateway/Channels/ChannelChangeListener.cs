using Npgsql;
using SaasAssistants.Database.Notifications;

namespace SaasAssistants.Gateway.Channels;

/// <summary>
/// Listens for the database's channels_changed notifications (migration 0019) and drops what <see cref="ChannelCache"/>
/// holds for the changed channel ('*': everything). Each time LISTEN is (re-)established the whole cache goes, since
/// changes made while nobody listened were not heard.
/// </summary>
public sealed class ChannelChangeListener(NpgsqlDataSource dataSource, ChannelCache cache, ILogger<ChannelChangeListener> logger) : BackgroundService
{
    public const string NotificationChannel = "channels_changed";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new PostgresListener(dataSource, NotificationChannel, logger).RunAsync(
            token =>
            {
                if (token == "*")
                {
                    cache.Clear();
                }
                else
                {
                    cache.Evict(token);
                }
            },
            cache.Clear,
            "channels stay cached for up to five minutes after a change",
            stoppingToken);
}
