using System.Data;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SaasAssistants.Database.Migrations;

/// <summary>
/// Applies the migration scripts that the database has not seen yet, in version order, each in its own transaction,
/// and records them in <c>schema_migrations</c> with a checksum. One advisory lock serialises every migrator of a
/// database, so two services (or test classes) starting together do not race: the second waits, then finds nothing to do.
/// Scripts run inside a transaction, so they cannot use statements that refuse one (CREATE INDEX CONCURRENTLY).
/// </summary>
public sealed class DatabaseMigrator(string ownerConnectionString, ILogger logger, IMigrationSource? source = null)
{
    /// <summary>Advisory lock key ("SAASMIGR") held while a database is migrated or set up; advisory locks are per database.</summary>
    public const long AdvisoryLockKey = 0x5341_4153_4D49_4752;

    private const string CreateHistoryTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version     integer PRIMARY KEY,
            name        text NOT NULL,
            checksum    text NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now()
        )
        """;

    private readonly IMigrationSource _source = source ?? new EmbeddedMigrationSource();

    /// <summary>Returns the scripts applied by this call (empty when the database was already up to date).</summary>
    public async Task<IReadOnlyList<MigrationScript>> MigrateAsync(CancellationToken cancellationToken)
    {
        var scripts = _source.Load().OrderBy(s => s.Version).ToList();
        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two migrations share version {duplicate.Key}: {string.Join(", ", duplicate.Select(s => s.Name))}.");
        }

        // A connection of its own, outside any pool: the session lock dies with it, and nothing lingers afterwards.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ownerConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await AcquireLockAsync(connection, cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, CreateHistoryTable, cancellationToken);
            var applied = await ReadAppliedAsync(connection, cancellationToken);
            foreach (var script in scripts)
            {
                if (applied.TryGetValue(script.Version, out var checksum) && checksum != script.Checksum)
                {
                    throw new MigrationChecksumMismatchException(script.Version, script.Name, checksum, script.Checksum);
                }
            }

            var pending = scripts.Where(s => !applied.ContainsKey(s.Version)).ToList();
            foreach (var script in pending)
            {
                await ApplyAsync(connection, script, cancellationToken);
            }

            if (pending.Count == 0)
            {
                logger.LogInformation("Database schema is up to date ({Count} migrations applied earlier)", applied.Count);
            }

            return pending;
        }
        finally
        {
            if (connection.State == ConnectionState.Open)
            {
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
            }
        }
    }

    private async Task AcquireLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var attempt = new NpgsqlCommand($"SELECT pg_try_advisory_lock({AdvisoryLockKey})", connection);
        if ((bool)(await attempt.ExecuteScalarAsync(cancellationToken))!)
        {
            return;
        }

        logger.LogInformation("Another migrator is working on this database; waiting for it to finish");
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(reader.GetInt32(0), reader.GetString(1));
        }

        return applied;
    }

    private async Task ApplyAsync(NpgsqlConnection connection, MigrationScript script, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await ExecuteAsync(connection, transaction, script.Sql, cancellationToken);
        }
        catch (PostgresException ex)
        {
            throw new InvalidOperationException($"Migration {script.Name} failed and was rolled back: {ex.MessageText} (SQLSTATE {ex.SqlState}).", ex);
        }

        await using (var record = new NpgsqlCommand(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, now())", connection, transaction))
        {
            record.Parameters.Add(new NpgsqlParameter { Value = script.Version });
            record.Parameters.Add(new NpgsqlParameter { Value = script.Name });
            record.Parameters.Add(new NpgsqlParameter { Value = script.Checksum });
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Applied migration {Name} in {ElapsedMs} ms", script.Name, watch.ElapsedMilliseconds);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        // No timeout: a migration may rewrite a big table; cancellation is the way to stop it.
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
