using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace SaasAssistants.Database;

/// <summary>
/// Writes the tracked changes of many entities of one type as one UPDATE per set of changed columns,
/// <c>UPDATE t SET c = u.c FROM unnest(@keys, @values...) u WHERE t.key = u.key AND t.token = u.token</c>, instead of
/// SaveChanges' statement per row: PostgreSQL plans and runs one statement for the whole batch. The entities' own
/// methods still decide every value; only the way the result travels changes. Concurrency tokens are checked as
/// SaveChanges checks them: when a row's token no longer matches, <see cref="DbUpdateConcurrencyException"/> is thrown
/// and the caller's transaction must be rolled back. The written entries are Unchanged afterwards, so a SaveChanges
/// that follows writes only the rest (inserts, other types). Parameters are typed by the CLR type of each column's
/// provider value and cast to the column's store type in SQL, which covers uuid, text, jsonb, integer, numeric and
/// timestamptz (the types of the entities that use it).
/// </summary>
public static class BulkUpdateExtensions
{
    public static async Task<int> UpdateModifiedInBulkAsync<TEntity>(this DbContext db, CancellationToken cancellationToken)
        where TEntity : class
    {
        var entries = db.ChangeTracker.Entries<TEntity>().Where(e => e.State == EntityState.Modified).ToList();
        if (entries.Count == 0)
        {
            return 0;
        }

        var entityType = db.Model.FindEntityType(typeof(TEntity))
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not part of the model.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var key = entityType.FindPrimaryKey()?.Properties is [var single] ? single
            : throw new NotSupportedException($"{typeof(TEntity).Name}: bulk updates need a single-column primary key.");
        if (entityType.GetComplexProperties().Any() || entityType.GetProperties().Any(p => p.GetColumnName(table) is null
                || p.ValueGenerated.HasFlag(ValueGenerated.OnUpdate)))
        {
            throw new NotSupportedException($"{typeof(TEntity).Name}: bulk updates need every property in one table and none generated on update.");
        }

        var tokens = entityType.GetProperties().Where(p => p.IsConcurrencyToken).ToList();

        // Several statements are all or nothing: inside the caller's transaction, or one of our own.
        await using var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var written = 0;
        foreach (var group in entries.GroupBy(e => string.Join(',', ModifiedProperties(e).Select(p => p.Name))))
        {
            var rows = group.ToList();
            var modified = ModifiedProperties(rows[0]).ToList();
            // The key and the tokens as read (original values); the changed columns as the entities left them.
            List<(IProperty Property, bool Original)> columns =
                [(key, true), .. modified.Select(p => (p, false)), .. tokens.Select(p => (p, true))];
            var parameters = columns.Select((c, i) => ArrayParameter($"bulk{i}", c.Property, c.Original, rows)).ToArray<object>();

            var aliases = columns.Select((_, i) => $"c{i}").ToList();
            string Column(IProperty p) => Quote(p.GetColumnName(table)!);
            string Value(int i) => $"u.{aliases[i]}::{columns[i].Property.GetColumnType()}";
            var set = modified.Select((p, i) => $"{Column(p)} = {Value(i + 1)}");
            // IS NOT DISTINCT FROM: a token that was null matches null, as in SaveChanges' own check.
            var match = columns.Select((c, i) => (c.Property, i)).Where(c => c.i == 0 || c.i > modified.Count)
                .Select(c => c.i == 0 ? $"t.{Column(c.Property)} = {Value(c.i)}" : $"t.{Column(c.Property)} IS NOT DISTINCT FROM {Value(c.i)}");
            var target = table.Schema is null ? Quote(table.Name) : $"{Quote(table.Schema)}.{Quote(table.Name)}";
            var sql = $"""
                UPDATE {target} AS t SET {string.Join(", ", set)}
                FROM unnest({string.Join(", ", parameters.Cast<DbParameter>().Select(p => "@" + p.ParameterName))}) AS u({string.Join(", ", aliases)})
                WHERE {string.Join(" AND ", match)}
                """;

            var affected = await db.Database.ExecuteSqlRawAsync(sql, parameters, cancellationToken);
            if (affected != rows.Count)
            {
                // Row level security hides another tenant's row the same way: it is not there to update.
                throw new DbUpdateConcurrencyException(
                    $"{rows.Count - affected} of {rows.Count} {typeof(TEntity).Name} rows changed since they were read (or are not visible to this tenant).");
            }
            written += affected;
        }
        if (ownTransaction is not null)
        {
            await ownTransaction.CommitAsync(cancellationToken);
        }

        foreach (var entry in entries)
        {
            // What was written is now the original; Unchanged alone would put the old values back into the entity.
            entry.OriginalValues.SetValues(entry.CurrentValues);
            entry.State = EntityState.Unchanged;
        }
        return written;
    }

    private static IEnumerable<IProperty> ModifiedProperties(EntityEntry entry) =>
        entry.Properties.Where(p => p.IsModified).Select(p => p.Metadata);

    /// <summary>One column's values (provider values, after any value converter) as a typed array, one per row.</summary>
    private static NpgsqlParameter ArrayParameter(string name, IProperty property, bool original, IReadOnlyList<EntityEntry> rows)
    {
        var converter = property.GetTypeMapping().Converter;
        var providerType = converter?.ProviderClrType ?? property.ClrType;
        var elementType = providerType.IsValueType && Nullable.GetUnderlyingType(providerType) is null
            ? typeof(Nullable<>).MakeGenericType(providerType)
            : providerType;
        var values = Array.CreateInstance(elementType, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var entry = rows[i].Property(property.Name);
            var value = original ? entry.OriginalValue : entry.CurrentValue;
            values.SetValue(value is null || converter is null ? value : converter.ConvertToProvider(value), i);
        }
        return new NpgsqlParameter(name, values);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
