using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using SaasAssistants.Database.ApiKeys;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.PublicApi.Authentication;

/// <summary>
/// Checks a presented API key against the stored prefix and hash through resolve_api_key(), the one narrow door
/// through row level security that a request needs before its tenant is known (hence raw Npgsql, not EF).
/// Successful checks are cached briefly so the hot path of a busy key costs no query; that is tenant-safe because
/// the cache key is the hash of the whole key, which alone identifies the tenant. A revoked key or a suspended
/// tenant is therefore noticed within <see cref="CacheFor"/>.
/// </summary>
public sealed class ApiKeyResolver(NpgsqlDataSource dataSource, IMemoryCache cache)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    /// <returns>The key when it exists, is not revoked and its secret matches; otherwise null.</returns>
    public async Task<ResolvedApiKey?> ResolveAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (!ApiKeyFormat.TryGetPrefix(presentedKey, out var prefix))
        {
            return null;
        }

        var cacheKey = new CacheKey(Convert.ToHexString(ApiKeyFormat.Hash(presentedKey)));
        if (cache.TryGetValue(cacheKey, out ResolvedApiKey? cached) && cached is not null)
        {
            return cached;
        }

        await using var command = dataSource.CreateCommand(
            "SELECT api_key_id, tenant_id, key_hash, tenant_status, scopes, tenant_plan FROM resolve_api_key($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = prefix });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        if (!ApiKeyFormat.Matches(presentedKey, (byte[])reader[2]))
        {
            return null;
        }

        var scopes = reader.IsDBNull(4) ? ApiScopes.All : reader.GetFieldValue<string[]>(4);
        var resolved = new ResolvedApiKey(reader.GetGuid(0), reader.GetGuid(1), TenantActive: reader.GetString(3) == TenantStatus.Active,
            prefix, scopes, reader.GetString(5));
        if (resolved.TenantActive)
        {
            cache.Set(cacheKey, resolved, CacheFor);
        }

        return resolved;
    }

    private sealed record CacheKey(string KeyHash);
}
