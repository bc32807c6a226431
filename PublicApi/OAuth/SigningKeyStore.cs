using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Secrets;

namespace SaasAssistants.PublicApi.OAuth;

/// <summary>
/// The token signing keys, kept in PostgreSQL (api_signing_keys) so that every instance signs with and accepts the same
/// keys, and a restart invalidates no token. ES256 (ECDSA P-256): small signatures, and only the private half is secret.
/// Rotation needs no operator: the instance that finds the signing key due for replacement creates the next one, under
/// an advisory lock so instances racing for it create one, not several; it activates after
/// <see cref="AccessTokenOptions.KeyActivationDelay"/>, when every instance has loaded it, and the old key keeps
/// verifying until the last token it signed has expired.
/// </summary>
public sealed class SigningKeyStore(IServiceScopeFactory scopes, SecretProtector protector, TimeProvider time, IOptions<AccessTokenOptions> options)
{
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;
    private const long RotationLock = 0x5341_4A57_4B52; // "SAJWKR": one key creation at a time across instances

    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile SigningKeyRing? _ring;

    public async Task<SigningKeyRing> GetAsync(CancellationToken cancellationToken)
    {
        if (_ring is { } loaded && !IsStale(loaded))
        {
            return loaded;
        }

        await _reload.WaitAsync(cancellationToken);
        try
        {
            if (_ring is { } again && !IsStale(again))
            {
                return again;
            }

            return _ring = await LoadAsync(cancellationToken);
        }
        finally
        {
            _reload.Release();
        }
    }

    /// <summary>A token named a key this instance does not know yet (another instance just created it): read again.</summary>
    public void Invalidate() => _ring = null;

    private bool IsStale(SigningKeyRing loaded)
        => time.GetUtcNow() - loaded.LoadedAt >= options.Value.KeyRefresh;

    private async Task<SigningKeyRing> LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SaasDbContext>();
        var now = time.GetUtcNow();
        var keys = await ReadUsableAsync(db, now, cancellationToken);
        if (NeedsNextKey(keys, now))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({RotationLock})", cancellationToken);
            keys = await ReadUsableAsync(db, now, cancellationToken);
            if (NeedsNextKey(keys, now))
            {
                var created = Create(keys, now);
                db.ApiSigningKeys.Add(created);
                await db.SaveChangesAsync(cancellationToken);
                keys = [.. keys, created];
            }
            await transaction.CommitAsync(cancellationToken);
        }

        var securityKeys = keys.ToDictionary(k => k.Id, ToSecurityKey);
        var signing = SigningKey(keys, now)
            ?? throw new InvalidOperationException("No signing key is active although one was just ensured.");
        return new SigningKeyRing(new SigningCredentials(securityKeys[signing.Id], Algorithm), [.. securityKeys.Values], now);
    }

    private static Task<List<ApiSigningKey>> ReadUsableAsync(SaasDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
        => db.ApiSigningKeys.AsNoTracking().Where(k => k.RetiresAt > now).OrderBy(k => k.ActivatesAt).ToListAsync(cancellationToken);

    /// <summary>The newest active key that outlives a token signed now.</summary>
    private ApiSigningKey? SigningKey(IEnumerable<ApiSigningKey> keys, DateTimeOffset now)
        => keys.Where(k => k.ActivatesAt <= now && k.RetiresAt >= now + options.Value.Lifetime).MaxBy(k => k.ActivatesAt);

    /// <summary>None signs now, or the one that does is due for replacement and no successor is waiting.</summary>
    private bool NeedsNextKey(IReadOnlyCollection<ApiSigningKey> keys, DateTimeOffset now)
    {
        if (SigningKey(keys, now) is not { } signing)
        {
            return true;
        }

        var dueAt = signing.ActivatesAt + options.Value.KeyRotation - options.Value.KeyActivationDelay;
        return now >= dueAt && !keys.Any(k => k.ActivatesAt > signing.ActivatesAt);
    }

    private ApiSigningKey Create(IReadOnlyCollection<ApiSigningKey> keys, DateTimeOffset now)
    {
        var settings = options.Value;
        // With nothing able to sign (first start, or a deployment that was off for longer than a rotation), waiting
        // would refuse every token request: the new key signs at once.
        var activatesAt = SigningKey(keys, now) is null ? now : now + settings.KeyActivationDelay;
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new ApiSigningKey
        {
            Id = Guid.CreateVersion7(),
            Algorithm = "ES256",
            PrivateKeyEncrypted = protector.Protect(Convert.ToBase64String(ecdsa.ExportPkcs8PrivateKey())),
            CreatedAt = now,
            ActivatesAt = activatesAt,
            RetiresAt = activatesAt + settings.KeyRotation + settings.KeyActivationDelay + settings.Lifetime,
        };
    }

    private SecurityKey ToSecurityKey(ApiSigningKey key)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(Convert.FromBase64String(protector.Unprotect(key.PrivateKeyEncrypted)), out _);
        return new ECDsaSecurityKey(ecdsa) { KeyId = key.Id.ToString("N") };
    }
}
