using Npgsql;

namespace SaasAssistants.Gateway.Channels;

/// <summary>
/// Finds a channel by its public token through the resolve_channel() function, the one narrow door through row level
/// security that a webhook needs before its tenant is known. Results (including "unknown") are kept in
/// <see cref="ChannelCache"/>, because every widget message and every Meta retry asks again.
/// </summary>
public sealed class ChannelResolver(NpgsqlDataSource dataSource, ChannelCache cache)
{
    public const string CacheKind = "channel";

    public async Task<ResolvedChannel?> ResolveAsync(string publicToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(publicToken) || publicToken.Length > 128)
        {
            return null;
        }

        if (cache.TryGet(CacheKind, publicToken, out ResolvedChannel? cached))
        {
            return cached;
        }

        await using var command = dataSource.CreateCommand(
            "SELECT channel_id, tenant_id, workspace_id, assistant_id, channel_type, channel_status, tenant_status, secret_encrypted, allowed_origins " +
            "FROM resolve_channel($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = publicToken });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        ResolvedChannel? channel = null;
        if (await reader.ReadAsync(cancellationToken))
        {
            channel = new ResolvedChannel(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2),
                reader.IsDBNull(3) ? null : reader.GetGuid(3),
                reader.GetString(4),
                ChannelActive: reader.GetString(5) == "active",
                TenantActive: reader.GetString(6) == "active",
                (byte[])reader[7],
                reader.IsDBNull(8) ? [] : reader.GetFieldValue<string[]>(8));
        }
        cache.Set(CacheKind, publicToken, channel);
        return channel;
    }
}
