using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace SaasAssistants.Knowledge.Search;

/// <summary>
/// Search results in Redis, when the service has Redis (ConnectionStrings:redis): keys start with the tenant's prefix,
/// and the key covers the knowledge bases' content versions, so a change makes the old entries unreachable at once
/// (they expire with their TTL). The only class of the knowledge feature that talks to Redis. A Redis failure is a
/// miss, never a failed search.
/// </summary>
public sealed class KnowledgeSearchCache(IServiceProvider services, IOptions<KnowledgeOptions> options, ILogger<KnowledgeSearchCache> logger)
{
    private readonly IConnectionMultiplexer? _redis = services.GetService(typeof(IConnectionMultiplexer)) as IConnectionMultiplexer;

    public bool IsEnabled => _redis is not null;

    public static string Key(Guid tenantId, string fingerprint) => $"tenant:{tenantId}:knowledge:search:{fingerprint}";

    public async Task<IReadOnlyList<KnowledgePassage>?> GetAsync(string key)
    {
        if (_redis is null)
        {
            return null;
        }

        try
        {
            var value = await _redis.GetDatabase().StringGetAsync(key);
            return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<KnowledgePassage[]>((string)value!);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or JsonException)
        {
            logger.LogWarning(ex, "Knowledge search cache read failed; searching without it");
            return null;
        }
    }

    public async Task SetAsync(string key, IReadOnlyList<KnowledgePassage> passages)
    {
        if (_redis is null)
        {
            return;
        }

        try
        {
            await _redis.GetDatabase().StringSetAsync(key, JsonSerializer.Serialize(passages), options.Value.Search.CacheTtl);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Knowledge search cache write failed");
        }
    }
}
