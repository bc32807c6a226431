using Microsoft.Extensions.Logging;
using Npgsql;
using SaasAssistants.Database.Migrations;

namespace SaasAssistants.Database.Setup;

/// <summary>
/// Everything that runs as the database owner before the services start: create the database, migrate, ensure the
/// services' role and its grants, and (in development) seed the demo tenant. Safe to run on every start and from
/// several processes at once.
/// </summary>
public static class DatabaseSetup
{
    private const string MaintenanceDatabase = "postgres";

    // Values travel as parameters into transaction-local settings and are quoted by format() on the server, so
    // neither a password nor an unusual role name is ever spliced into SQL text (or into a statement log).
    private const string EnsureRoleSql = """
        DO $$
        DECLARE
            role_name text := current_setting('saas_setup.role_name');
            role_password text := current_setting('saas_setup.role_password');
        BEGIN
            IF role_name = current_user THEN
                RAISE EXCEPTION 'The app role must not be the owner (%): the owner bypasses row level security.', role_name;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
                EXECUTE format('CREATE ROLE %I WITH LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD %L', role_name, role_password);
            ELSE
                EXECUTE format('ALTER ROLE %I WITH LOGIN PASSWORD %L', role_name, role_password);
                -- Naming these attributes needs superuser even when they would not change, so only when they must.
                IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name AND (rolsuper OR rolbypassrls)) THEN
                    EXECUTE format('ALTER ROLE %I WITH NOSUPERUSER NOBYPASSRLS', role_name);
                END IF;
            END IF;
        END $$
        """;

    private const string GrantSql = """
        DO $$
        DECLARE
            role_name text := current_setting('saas_setup.role_name');
        BEGIN
            EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), role_name);
            EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', role_name);
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', role_name);
            EXECUTE format('REVOKE ALL ON TABLE schema_migrations FROM %I', role_name);
            EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', role_name);
            EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO %I', role_name);
            -- Tables and functions that later migrations create (as this same owner) get the same grants.
            EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', role_name);
            EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %I', role_name);
            EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO %I', role_name);
        END $$
        """;

    /// <summary>Creates the database if missing (connecting to "postgres"), applies migrations, ensures the app role and grants, seeds.</summary>
    public static async Task<SeedResult?> RunAsync(string ownerConnectionString, DatabaseSetupOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.AppRoleName);
        ArgumentException.ThrowIfNullOrEmpty(options.AppRolePassword);
        // Unpooled: setup runs once, and idle pooled connections would keep the database from being dropped (tests).
        var owner = new NpgsqlConnectionStringBuilder(ownerConnectionString) { Pooling = false };
        if (string.IsNullOrEmpty(owner.Database))
        {
            throw new ArgumentException("The owner connection string must name the database (Database=...).", nameof(ownerConnectionString));
        }

        await EnsureDatabaseAsync(owner, logger, cancellationToken);
        await new DatabaseMigrator(owner.ConnectionString, logger).MigrateAsync(cancellationToken);
        await EnsureAppRoleAsync(owner.ConnectionString, options, logger, cancellationToken);

        await using var connection = new NpgsqlConnection(owner.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Grants and seed of one database run one at a time; concurrent GRANTs on the same object can fail.
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({DatabaseMigrator.AdvisoryLockKey})", cancellationToken);
        await SetLocalAsync(connection, transaction, "saas_setup.role_name", options.AppRoleName, cancellationToken);
        await ExecuteAsync(connection, transaction, GrantSql, cancellationToken);
        var result = options.Seed is null ? null : await DevelopmentSeeder.SeedAsync(connection, transaction, options.Seed, logger, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Database {Database} is ready for role {Role}", owner.Database, options.AppRoleName);
        return result;
    }

    private static async Task EnsureDatabaseAsync(NpgsqlConnectionStringBuilder owner, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            // Trying the database itself first means an existing one needs no access to the maintenance database.
            await using var probe = new NpgsqlConnection(owner.ConnectionString);
            await probe.OpenAsync(cancellationToken);
            return;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
        }

        var maintenance = new NpgsqlConnectionStringBuilder(owner.ConnectionString) { Database = MaintenanceDatabase };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, $"CREATE DATABASE {QuoteIdentifier(owner.Database!)}", cancellationToken);
            logger.LogInformation("Created database {Database}", owner.Database);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another starter created it a moment ago.
        }
    }

    /// <summary>
    /// Roles belong to the whole server, not to one database, so setups of different databases (test classes in
    /// parallel) can collide here; a collision is retried.
    /// </summary>
    private static async Task EnsureAppRoleAsync(string ownerConnectionString, DatabaseSetupOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ownerConnectionString);
                await connection.OpenAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await SetLocalAsync(connection, transaction, "saas_setup.role_name", options.AppRoleName, cancellationToken);
                await SetLocalAsync(connection, transaction, "saas_setup.role_password", options.AppRolePassword, cancellationToken);
                await ExecuteAsync(connection, transaction, EnsureRoleSql, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return;
            }
            catch (PostgresException ex) when (attempt < 5 && IsConcurrentRoleChange(ex))
            {
                logger.LogDebug("Role {Role} was changed concurrently; retrying", options.AppRoleName);
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), cancellationToken);
            }
        }
    }

    private static bool IsConcurrentRoleChange(PostgresException ex)
        => ex.SqlState is PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.UniqueViolation
           || (ex.SqlState == PostgresErrorCodes.InternalError && ex.MessageText.Contains("concurrently", StringComparison.Ordinal));

    private static async Task SetLocalAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string name, string value, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT set_config($1, $2, true)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
