using Microsoft.EntityFrameworkCore;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.ApiKeys;
using SaasAssistants.Database.Entities;
using SaasAssistants.WebApp.Extensions;

namespace SaasAssistants.WebApp.ApiKeys;

/// <summary>
/// Creates and revokes the tenant's PublicApi keys. A key is generated and hashed by <see cref="ApiKeyFormat"/>, as the
/// PublicApi checks it; the whole key exists only in the creation's answer. The PublicApi caches a successful check
/// for 30 seconds, so a revoked key stops working within that time.
/// </summary>
public sealed class ApiKeyManager(SaasDbContext db, TimeProvider clock)
{
    public const int MaxNameLength = 100;
    private const string PrefixIndex = "ux_api_keys_prefix";

    public async Task<IReadOnlyList<ApiKeyView>> ListAsync(CancellationToken cancellationToken)
        => await db.ApiKeys.AsNoTracking().OrderBy(k => k.RevokedAt != null).ThenByDescending(k => k.CreatedAt)
            .Select(k => new ApiKeyView(k.Id, k.Name, k.Prefix, k.Scopes, k.CreatedAt, k.LastUsedAt, k.RevokedAt))
            .ToListAsync(cancellationToken);

    /// <param name="scopes">The scopes the key grants; none chosen: every scope (a full-access key).</param>
    /// <returns>The whole key, to be shown once; or why it was refused.</returns>
    public async Task<(string? Key, FormRefusal? Refusal)> CreateAsync(string? name, IReadOnlyCollection<string> scopes, CancellationToken cancellationToken)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            return (null, new FormRefusal("key_name", "name"));
        }
        if (scopes.FirstOrDefault(s => !ApiKeyScopes.All.Contains(s)) is not null)
        {
            return (null, new FormRefusal("key_scope", "scopes"));
        }

        // Eight hex characters of prefix can collide with another tenant's key (unique index): draw again.
        for (var attempt = 0; ; attempt++)
        {
            var key = ApiKeyFormat.Generate();
            ApiKeyFormat.TryGetPrefix(key, out var prefix);
            db.ApiKeys.Add(new ApiKey
            {
                Id = Guid.CreateVersion7(),
                Name = name,
                Prefix = prefix,
                KeyHash = ApiKeyFormat.Hash(key),
                Scopes = scopes.Count == 0 ? null : ApiKeyScopes.All.Where(scopes.Contains).ToArray(),
                CreatedAt = clock.GetUtcNow(),
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return (key, null);
            }
            catch (DbUpdateException ex) when (attempt < 3 && ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: PrefixIndex })
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    public async Task<bool> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Revoking twice keeps the first time; an unknown (or another tenant's) key is not found.
        return await db.ApiKeys.Where(k => k.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, k => k.RevokedAt ?? now), cancellationToken) == 1;
    }
}
