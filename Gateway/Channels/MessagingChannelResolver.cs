using Npgsql;

namespace SaasAssistants.Gateway.Channels;

/// <summary>
/// Finds a WhatsApp or Instagram channel by the key in its callback URL, through resolve_messaging_channel() (the
/// tenant is not known yet). Kept in <see cref="ChannelCache"/>, "unknown" included: Meta retries and batches hit the same key often.
/// </summary>
public sealed class MessagingChannelResolver(NpgsqlDataSource dataSource, ChannelCache cache)
{
    public const string CacheKind = "messaging-channel";

    public async Task<MessagingChannel?> ResolveAsync(string channelKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(channelKey) || channelKey.Length > 128)
        {
            return null;
        }

        if (cache.TryGet(CacheKind, channelKey, out MessagingChannel? cached))
        {
            return cached;
        }

        await using var command = dataSource.CreateCommand(
            "SELECT channel_id, tenant_id, workspace_id, assistant_id, channel_type, channel_status, tenant_status, secret_encrypted, " +
            "tenant_plan, provider, external_id, verify_token_encrypted FROM resolve_messaging_channel($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = channelKey });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        MessagingChannel? channel = null;
        if (await reader.ReadAsync(cancellationToken))
        {
            var resolved = new ResolvedChannel(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2),
                reader.IsDBNull(3) ? null : reader.GetGuid(3),
                reader.GetString(4),
                ChannelActive: reader.GetString(5) == "active",
                TenantActive: reader.GetString(6) == "active",
                (byte[])reader[7],
                AllowedOrigins: []);
            channel = new MessagingChannel(resolved, reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(11) ? null : (byte[])reader[11]);
        }
        cache.Set(CacheKind, channelKey, channel);
        return channel;
    }
}
