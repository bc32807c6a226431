using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SaasAssistants.Database.Migrations;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Database;

public class DatabaseMigratorTests
{
    private static readonly (string, string) CreateItems = ("0001_items.sql", "CREATE TABLE items (id int PRIMARY KEY, name text);");
    private static readonly (string, string) InsertItem = ("0002_first_item.sql", "INSERT INTO items VALUES (1, 'first');");
    private static readonly (string, string) AddColumn = ("0003_item_price.sql", "ALTER TABLE items ADD COLUMN price numeric NOT NULL DEFAULT 0;");

    private static DatabaseMigrator Migrator(EmptyDatabase database, params (string, string)[] files)
        => new(database.ConnectionString, NullLogger.Instance, new ListMigrationSource(files));

    [Fact]
    public async Task Applies_every_script_in_version_order_and_records_its_checksum()
    {
        await using var database = await EmptyDatabase.CreateAsync(await TestServers.Shared.GetPostgresConnectionStringAsync());
        // Given out of order: 0002 and 0003 only work after 0001.
        var source = new ListMigrationSource(AddColumn, CreateItems, InsertItem);

        var applied = await new DatabaseMigrator(database.ConnectionString, NullLogger.Instance, source).MigrateAsync(CancellationToken.None);

        Assert.Equal([1, 2, 3], applied.Select(s => s.Version));
        var recorded = await ReadHistoryAsync(database);
        Assert.Equal(source.Load().OrderBy(s => s.Version).Select(s => (s.Version, s.Name, s.Checksum)), recorded);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM items WHERE price = 0"));
    }

    [Fact]
    public async Task A_second_run_applies_nothing()
    {
        await using var database = await EmptyDatabase.CreateAsync(await TestServers.Shared.GetPostgresConnectionStringAsync());
        await Migrator(database, CreateItems, InsertItem).MigrateAsync(CancellationToken.None);

        var applied = await Migrator(database, CreateItems, InsertItem).MigrateAsync(CancellationToken.None);

        Assert.Empty(applied);
        Assert.Equal(2, (await ReadHistoryAsync(database)).Count);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM items"));
    }

    [Fact]
    public async Task Only_new_scripts_are_applied_later()
    {
        await using var database = await EmptyDatabase.CreateAsync(await TestServers.Shared.GetPostgresConnectionStringAsync());
        await Migrator(database, CreateItems).MigrateAsync(CancellationToken.None);

        var applied = await Migrator(database, CreateItems, InsertItem).MigrateAsync(CancellationToken.None);

        Assert.Equal(["0002_first_item.sql"], applied.Select(s => s.Name));
    }

    [Fact]
    public async Task An_applied_script_that_was_edited_is_refused()
    {
        await using var database = await EmptyDatabase.CreateAsync(await TestServers.Shared.GetPostgresConnectionStringAsync());
        await Migrator(database, CreateItems).MigrateAsync(CancellationToken.None);
        var edited = ("0001_items.sql", "CREATE TABLE items (id bigint PRIMARY KEY, name text);");

        var error = await Assert.ThrowsAsync<MigrationChecksumMismatchException>(
            () => Migrator(database, edited, InsertItem).MigrateAsync(CancellationToken.None));

        Assert.Equal(1, error.Version);
        Assert.Contains("0001_items.sql", error.Message);
        Assert.Contains("1", error.Message);
        // Nothing after the refusal ran.
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM items"));
        Assert.Single(await ReadHistoryAsync(database));
    }

    [Fact]
    public async Task A_failing_script_is_rolled_back_and_not_recorded()
    {
        await using var database = await EmptyDatabase.CreateAsync(await TestServers.Shared.GetPostgresConnectionStringAsync());
        var failing = ("0002_broken.sql", "CREATE TABLE half_done (id int); INSERT INTO items VALUES (2, 'two'); SELECT 1 / 0;");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Migrator(database, CreateItems, failing, AddColumn).MigrateAsync(CancellationToken.None));

        Assert.Contains("0002_broken.sql", error.Message);
        Assert.Equal([1], (await ReadHistoryAsync(database)).Select(r => r.Version));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 'half_done'"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM items"));
        // The script after the failed one did not run either.
        Assert.Equal(0L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'price'"));
    }

    [Fact]
    public async Task Concurrent_migrators_wait_for_each_other_and_apply_each_script_once()
    {
        await using var database = await EmptyDatabase.CreateAsync(await TestServers.Shared.GetPostgresConnectionStringAsync());
        // The test holds the migrators' lock, so both are certainly started and waiting before either can work.
        await using var holder = new NpgsqlConnection(database.ConnectionString);
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({DatabaseMigrator.AdvisoryLockKey})", holder))
        {
            await take.ExecuteNonQueryAsync();
        }

        var first = Migrator(database, CreateItems, InsertItem, AddColumn).MigrateAsync(CancellationToken.None);
        var second = Migrator(database, CreateItems, InsertItem, AddColumn).MigrateAsync(CancellationToken.None);
        await Eventually.TrueAsync(
            async () => await database.ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") == 2,
            TimeSpan.FromSeconds(30), "both migrators to wait for the lock");
        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({DatabaseMigrator.AdvisoryLockKey})", holder))
        {
            await release.ExecuteNonQueryAsync();
        }

        var results = await Task.WhenAll(first, second);

        Assert.Equal([0, 3], results.Select(r => r.Count).Order());
        Assert.Equal([1, 2, 3], (await ReadHistoryAsync(database)).Select(r => r.Version));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM items"));
    }

    [Fact]
    public async Task The_embedded_schema_applies_to_an_empty_database()
    {
        await using var database = await EmptyDatabase.CreateAsync(await TestServers.Shared.GetPostgresConnectionStringAsync());

        var applied = await new DatabaseMigrator(database.ConnectionString, NullLogger.Instance).MigrateAsync(CancellationToken.None);

        Assert.Equal(new EmbeddedMigrationSource().Load().Count, applied.Count);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 'outbox_messages'"));
    }

    private static async Task<List<(int Version, string Name, string Checksum)>> ReadHistoryAsync(EmptyDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version, name, checksum FROM schema_migrations ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetString(1), reader.GetString(2)));
        }

        return rows;
    }
}
