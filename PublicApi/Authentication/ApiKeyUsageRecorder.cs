using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using SaasAssistants.Database;

namespace SaasAssistants.PublicApi.Authentication;

/// <summary>
/// Keeps api_keys.last_used_at current to the minute without a write per request. The write is awaited (a lost
/// fire-and-forget task would also lose its errors and its scope); the memory cache skips it on this instance and
/// the WHERE clause skips it when another instance wrote within the minute.
/// </summary>
public sealed class ApiKeyUsageRecorder(SaasDbContext db, IMemoryCache cache, TimeProvider time)
{
    private static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);

    /// <summary>Needs the key's tenant in scope already: the update goes through the tenant filter and RLS.</summary>
    public async Task RecordAsync(Guid apiKeyId, CancellationToken cancellationToken)
    {
        var cacheKey = new CacheKey(apiKeyId);
        if (cache.TryGetValue(cacheKey, out _))
        {
            return;
        }

        var now = time.GetUtcNow();
        var writtenBefore = now - Resolution;
        await db.ApiKeys
            .Where(k => k.Id == apiKeyId && (k.LastUsedAt == null || k.LastUsedAt < writtenBefore))
            .ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        cache.Set(cacheKey, true, Resolution);
    }

    private sealed record CacheKey(Guid ApiKeyId);
}
