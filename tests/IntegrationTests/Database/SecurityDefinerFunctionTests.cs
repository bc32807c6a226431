using Npgsql;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Database;

/// <summary>
/// The SECURITY DEFINER functions run as the owner, past row level security: each is a door that only the services'
/// role may open, and none can be steered to a caller's objects through the search path. Read from the catalog, so a
/// function added by a later migration is checked too.
/// </summary>
public sealed class SecurityDefinerFunctionTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    /// <summary>What pg_proc.proconfig holds for <c>SET search_path = pg_catalog, public, pg_temp</c>.</summary>
    private const string FixedSearchPath = "search_path=pg_catalog, public, pg_temp";

    // Every SECURITY DEFINER function outside PostgreSQL's own schemas, with the roles other than its owner that may
    // execute it (PUBLIC when the function was never revoked: grantee 0).
    private const string DefinerFunctionsSql = """
        SELECT p.oid::regprocedure::text,
               coalesce(p.proconfig, '{}'),
               ARRAY(SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END
                     FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                     WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner
                     ORDER BY 1)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE p.prosecdef AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
        ORDER BY 1
        """;

    [Fact]
    public async Task Every_security_definer_function_is_executable_only_by_the_app_role_and_has_a_fixed_search_path()
    {
        var functions = await ReadDefinerFunctionsAsync();
        var appRole = TestServers.Shared.AppRoleName;

        // The doors the code relies on are all there, so an empty or renamed catalog cannot pass this test.
        Assert.Superset(
            new HashSet<string>(["task_claim", "task_heartbeat", "task_rescue_expired", "task_queue_depth", "resolve_channel",
                "resolve_api_key", "find_user_for_sign_in", "outbox_lease", "outbox_mark_published", "outbox_release"]),
            functions.Select(f => f.Signature[..f.Signature.IndexOf('(')]).ToHashSet());
        var wrongCallers = functions.Where(f => !f.Executors.SequenceEqual([appRole]))
            .Select(f => $"{f.Signature}: [{string.Join(", ", f.Executors)}]").ToList();
        var openSearchPath = functions.Where(f => !f.Config.Contains(FixedSearchPath))
            .Select(f => $"{f.Signature}: [{string.Join(", ", f.Config)}]").ToList();
        Assert.True(wrongCallers.Count == 0,
            $"executable by roles other than the owner and {appRole} (REVOKE EXECUTE ... FROM PUBLIC):\n{string.Join('\n', wrongCallers)}");
        Assert.True(openSearchPath.Count == 0,
            $"without SET search_path = pg_catalog, public, pg_temp:\n{string.Join('\n', openSearchPath)}");
    }

    [Fact]
    public async Task Another_login_cannot_claim_tasks_and_the_app_role_can()
    {
        var stranger = "stranger_" + Guid.NewGuid().ToString("N")[..12];
        var password = Guid.NewGuid().ToString("N");
        await OwnerExecuteAsync($"CREATE ROLE {stranger} LOGIN PASSWORD '{password}'");
        try
        {
            var strangerConnection = new NpgsqlConnectionStringBuilder(database.OwnerConnectionString)
            {
                Username = stranger,
                Password = password,
                Pooling = false,
            }.ConnectionString;

            var denied = await Assert.ThrowsAsync<PostgresException>(() => ClaimAsync(strangerConnection));

            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
            Assert.Equal(0, await ClaimAsync(database.AppConnectionString));
        }
        finally
        {
            await OwnerExecuteAsync($"DROP ROLE {stranger}");
        }
    }

    [Fact]
    public async Task A_temporary_table_of_the_caller_does_not_shadow_the_functions_tables()
    {
        // With `SET search_path = public`, pg_temp is searched first: the caller's own "tasks" would be read with the
        // owner's rights. The fixed path reads public.tasks whatever the caller created.
        await using var connection = new NpgsqlConnection(database.AppConnectionString);
        await connection.OpenAsync();
        var decoy = Guid.NewGuid();
        await ExecuteAsync(connection, $"""
            CREATE TEMP TABLE tasks (LIKE public.tasks INCLUDING DEFAULTS);
            INSERT INTO pg_temp.tasks (id, tenant_id, type, status, locked_by, locked_until, attempt_count, max_attempts)
            VALUES ('{decoy}', '{Guid.NewGuid()}', 'decoy', 'Running', 'decoy-worker', now() - interval '1 hour', 1, 3)
            """);

        await using var command = new NpgsqlCommand("SELECT id FROM task_rescue_expired(100)", connection);
        var rescued = new List<Guid>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rescued.Add(reader.GetGuid(0));
            }
        }

        Assert.DoesNotContain(decoy, rescued);
        // The decoy really is visible to the caller: only the function's own search path keeps it out.
        Assert.Equal(1L, await ScalarAsync<long>(connection, "SELECT count(*) FROM tasks WHERE type = 'decoy'"));
    }

    private async Task<List<(string Signature, string[] Config, string[] Executors)>> ReadDefinerFunctionsAsync()
    {
        await using var owner = new NpgsqlConnection(database.OwnerConnectionString);
        await owner.OpenAsync();
        await using var command = new NpgsqlCommand(DefinerFunctionsSql, owner);
        var functions = new List<(string, string[], string[])>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            functions.Add((reader.GetString(0), reader.GetFieldValue<string[]>(1), reader.GetFieldValue<string[]>(2)));
        }

        return functions;
    }

    private static async Task<int> ClaimAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*)::int FROM task_claim('security-test', 10, interval '1 minute', ARRAY['no-such-type'])", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    private async Task OwnerExecuteAsync(string sql)
    {
        await using var owner = new NpgsqlConnection(database.OwnerConnectionString);
        await owner.OpenAsync();
        await ExecuteAsync(owner, sql);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
