using Microsoft.EntityFrameworkCore;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.PublicApi.Idempotency;

/// <summary>What an Idempotency-Key says about a creating request: new, a replay of the request that created a resource, or a misuse.</summary>
public abstract record IdempotencyOutcome
{
    public sealed record New : IdempotencyOutcome;
    public sealed record Replay(Guid ResourceId) : IdempotencyOutcome;
    public sealed record KeyReused : IdempotencyOutcome;
}

/// <summary>
/// Idempotency-Key for the creating POSTs (tasks have their own, older, column). The key row is added to the same
/// SaveChanges as the resource, so a key never points at nothing; a concurrent request with the same key loses on the
/// primary key and answers as a replay of the winner.
/// </summary>
public static class IdempotentCreation
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 255;

    /// <summary>A field error for a malformed key (same rule as tasks: 1 to 255 visible ASCII characters), or null.</summary>
    public static Dictionary<string, string[]>? Validate(string? key)
        => key is not null && (key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
            ? new() { [Header] = [$"{Header} must be 1 to {MaxKeyLength} visible ASCII characters."] }
            : null;

    public static async Task<IdempotencyOutcome> CheckAsync(SaasDbContext db, string? key, string operation, string requestHash, CancellationToken cancellationToken)
    {
        if (key is null)
        {
            return new IdempotencyOutcome.New();
        }

        var existing = await db.IdempotencyKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Key == key, cancellationToken);
        if (existing is null)
        {
            return new IdempotencyOutcome.New();
        }

        return existing.Operation == operation && existing.RequestHash == requestHash
            ? new IdempotencyOutcome.Replay(existing.ResourceId)
            : new IdempotencyOutcome.KeyReused();
    }

    /// <summary>Saves the tracked resource and, when a key was sent, the key pointing at it; a lost race is a replay (or a misuse).</summary>
    public static async Task<IdempotencyOutcome> SaveAsync(SaasDbContext db, string? key, string operation, string requestHash, Guid resourceId, CancellationToken cancellationToken)
    {
        if (key is not null)
        {
            db.IdempotencyKeys.Add(new IdempotencyKey { Key = key, Operation = operation, RequestHash = requestHash, ResourceId = resourceId });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return new IdempotencyOutcome.New();
        }
        catch (DbUpdateException ex) when (key is not null && ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, TableName: "idempotency_keys" })
        {
            db.ChangeTracker.Clear();
            return await CheckAsync(db, key, operation, requestHash, cancellationToken);
        }
    }
}
