using Npgsql;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Database;

/// <summary>
/// Row level security seen from where the services stand: connected as the app role, hand-written SQL, no EF.
/// Whatever a bug in a service does, PostgreSQL itself keeps one tenant's rows away from another.
/// </summary>
public class RowLevelSecurityTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private TenantRows _a = null!;
    private TenantRows _b = null!;

    public async Task InitializeAsync()
    {
        _a = await TenantRows.InsertAsync(database.OwnerConnectionString, "tenant-a");
        _b = await TenantRows.InsertAsync(database.OwnerConnectionString, "tenant-b");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<NpgsqlConnection> ConnectAsAppAsync(Guid? tenantId)
    {
        var connection = new NpgsqlConnection(database.AppConnectionString);
        await connection.OpenAsync();
        if (tenantId is not null)
        {
            await TenantSetting.ApplyAsync(connection, null, tenantId, isLocal: false, CancellationToken.None);
        }

        return connection;
    }

    [Fact]
    public async Task The_app_role_is_subject_to_row_level_security()
    {
        await using var connection = await ConnectAsAppAsync(null);

        Assert.Equal("saas_app", await ScalarAsync<string>(connection, "SELECT current_user"));
        Assert.False(await ScalarAsync<bool>(connection, "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"));
    }

    [Fact]
    public async Task Every_table_with_a_tenant_id_is_in_the_list_these_tests_cover()
    {
        await using var owner = new NpgsqlConnection(database.OwnerConnectionString);
        await owner.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT c.table_name FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
            """, owner);
        var inSchema = new SortedSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                inSchema.Add(reader.GetString(0));
            }
        }
        var listed = TenantRows.TenantOwnedTables.Where(t => t.TenantColumn == "tenant_id").Select(t => t.Table).ToHashSet(StringComparer.Ordinal);

        Assert.True(inSchema.Count > 0, "information_schema shows no table with a tenant_id");
        Assert.True(inSchema.SetEquals(listed),
            $"tenant-owned tables missing from TenantRows.TenantOwnedTables (add them, with a seeded row): [{string.Join(", ", inSchema.Except(listed))}]; " +
            $"listed but without a tenant_id column: [{string.Join(", ", listed.Except(inSchema))}]");
    }

    [Fact]
    public async Task A_tenant_sees_only_its_own_rows_in_every_tenant_owned_table()
    {
        await using var connection = await ConnectAsAppAsync(_a.TenantId);

        foreach (var (table, column) in TenantRows.TenantOwnedTables)
        {
            var own = await ScalarAsync<long>(connection, $"SELECT count(*) FROM {table} WHERE {column} = '{_a.TenantId}'");
            var all = await ScalarAsync<long>(connection, $"SELECT count(*) FROM {table}");
            Assert.True(own >= 1, $"{table}: tenant A should see its own row");
            Assert.True(all == own, $"{table}: tenant A sees {all - own} rows of other tenants");
        }
    }

    [Fact]
    public async Task Without_a_tenant_nothing_is_visible()
    {
        await using var connection = await ConnectAsAppAsync(null);

        foreach (var (table, _) in TenantRows.TenantOwnedTables)
        {
            Assert.True(await ScalarAsync<long>(connection, $"SELECT count(*) FROM {table}") == 0, $"{table} shows rows without a tenant");
        }
    }

    [Fact]
    public async Task A_transaction_local_tenant_ends_with_the_transaction()
    {
        await using var connection = await ConnectAsAppAsync(null);
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await TenantSetting.ApplyAsync(connection, transaction, _a.TenantId, isLocal: true, CancellationToken.None);
            Assert.Equal(1L, await ScalarAsync<long>(connection, "SELECT count(*) FROM workspaces", transaction));
            await transaction.CommitAsync();
        }

        Assert.Equal(0L, await ScalarAsync<long>(connection, "SELECT count(*) FROM workspaces"));
    }

    public static TheoryData<string> InsertsForTenantB => new()
    {
        "INSERT INTO workspaces (id, tenant_id, name) VALUES (gen_random_uuid(), @b, 'Stolen')",
        "INSERT INTO outbox_messages (id, tenant_id, event_type, payload) VALUES (gen_random_uuid(), @b, 'Forged', '{}')",
        "INSERT INTO users (id, tenant_id, email, display_name, password_hash) VALUES (gen_random_uuid(), @b, 'x@y.z', 'x', 'x')",
        "INSERT INTO tenants (id, name) VALUES (@b2, 'Another')",
        "INSERT INTO webhook_events (id, tenant_id, channel_type, status, payload) VALUES (gen_random_uuid(), @b, 'web', 'accepted', '{}')",
        "INSERT INTO tasks (id, tenant_id, type) VALUES (gen_random_uuid(), @b, 'forged')",
        "INSERT INTO task_attempts (id, tenant_id, task_id, attempt_no, started_at) VALUES (gen_random_uuid(), @b, @bTask, 2, now())",
        "INSERT INTO task_artifacts (id, tenant_id, task_id, kind, content) VALUES (gen_random_uuid(), @b, @bTask, 'text', 'forged')",
        "INSERT INTO knowledge_bases (id, tenant_id, workspace_id, name, embedding_model, embedding_dimensions) VALUES (gen_random_uuid(), @b, @bWorkspace, 'Forged', 'm', 384)",
        "INSERT INTO knowledge_documents (id, tenant_id, knowledge_base_id, name, format, size_bytes, checksum, content) VALUES (gen_random_uuid(), @b, @bKnowledgeBase, 'x.txt', 'txt', 1, 'forged', 'x')",
        "INSERT INTO knowledge_chunks (id, tenant_id, knowledge_base_id, document_id, ordinal, content, token_count, fts_config, embedding, embedding_model) VALUES (gen_random_uuid(), @b, @bKnowledgeBase, @bKnowledgeDocument, 1, 'forged', 1, 'simple', array_fill(0::real, ARRAY[384])::vector, 'm')",
    };

    [Theory]
    [MemberData(nameof(InsertsForTenantB))]
    public async Task Inserting_a_row_for_another_tenant_is_refused(string sql)
    {
        await using var connection = await ConnectAsAppAsync(_a.TenantId);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("b", _b.TenantId);
        command.Parameters.AddWithValue("b2", Guid.NewGuid());
        command.Parameters.AddWithValue("bTask", _b.TaskId);
        command.Parameters.AddWithValue("bWorkspace", _b.WorkspaceId);
        command.Parameters.AddWithValue("bKnowledgeBase", _b.KnowledgeBaseId);
        command.Parameters.AddWithValue("bKnowledgeDocument", _b.KnowledgeDocumentId);

        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Contains("new row violates row-level security policy", error.MessageText);
    }

    [Fact]
    public async Task Another_tenants_rows_can_be_neither_updated_nor_deleted()
    {
        await using var connection = await ConnectAsAppAsync(_a.TenantId);

        foreach (var (table, column) in TenantRows.TenantOwnedTables)
        {
            Assert.True(await ExecuteAsync(connection, $"UPDATE {table} SET {column} = {column} WHERE {column} = '{_b.TenantId}'") == 0,
                $"{table}: updated rows of tenant B");
        }
        // Children first, so that a delete that got through would not be stopped by a foreign key instead.
        foreach (var (table, column) in TenantRows.TenantOwnedTables.Reverse())
        {
            Assert.True(await ExecuteAsync(connection, $"DELETE FROM {table} WHERE {column} = '{_b.TenantId}'") == 0, $"{table}: deleted rows of tenant B");
        }

        await using var owner = new NpgsqlConnection(database.OwnerConnectionString);
        await owner.OpenAsync();
        foreach (var (table, column) in TenantRows.TenantOwnedTables)
        {
            Assert.True(await ScalarAsync<long>(owner, $"SELECT count(*) FROM {table} WHERE {column} = '{_b.TenantId}'") >= 1, $"{table}: B's row is gone");
        }
    }

    [Fact]
    public async Task An_own_row_cannot_be_handed_to_another_tenant()
    {
        await using var connection = await ConnectAsAppAsync(_a.TenantId);

        var error = await Assert.ThrowsAsync<PostgresException>(
            () => ExecuteAsync(connection, $"UPDATE workspaces SET tenant_id = '{_b.TenantId}' WHERE id = '{_a.WorkspaceId}'"));

        Assert.Contains("new row violates row-level security policy", error.MessageText);
    }

    [Fact]
    public async Task The_setup_history_is_not_readable_by_the_app()
    {
        await using var connection = await ConnectAsAppAsync(_a.TenantId);

        var error = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<long>(connection, "SELECT count(*) FROM schema_migrations"));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task Resolve_channel_returns_only_the_matching_channel_before_any_tenant_is_known()
    {
        await using var connection = await ConnectAsAppAsync(null);

        var rows = await QueryAsync(connection, "SELECT channel_id, tenant_id, workspace_id, channel_type, tenant_status FROM resolve_channel(@p)", _a.ChannelToken);

        var row = Assert.Single(rows);
        Assert.Equal([_a.ChannelId, _a.TenantId, _a.WorkspaceId, "web", "active"], row);
        Assert.Empty(await QueryAsync(connection, "SELECT channel_id FROM resolve_channel(@p)", "wc_unknown"));
    }

    [Fact]
    public async Task Resolve_api_key_returns_only_the_matching_live_key()
    {
        await using var connection = await ConnectAsAppAsync(null);

        var row = Assert.Single(await QueryAsync(connection, "SELECT api_key_id, tenant_id FROM resolve_api_key(@p)", _a.ApiKeyPrefix));
        Assert.Equal([_a.ApiKeyId, _a.TenantId], row);
        Assert.Empty(await QueryAsync(connection, "SELECT api_key_id FROM resolve_api_key(@p)", "nope"));

        await using (var owner = new NpgsqlConnection(database.OwnerConnectionString))
        {
            await owner.OpenAsync();
            await ExecuteAsync(owner, $"UPDATE api_keys SET revoked_at = now() WHERE id = '{_b.ApiKeyId}'");
        }
        Assert.Empty(await QueryAsync(connection, "SELECT api_key_id FROM resolve_api_key(@p)", _b.ApiKeyPrefix));
    }

    [Fact]
    public async Task Find_user_for_sign_in_matches_the_email_case_insensitively_and_nothing_else()
    {
        await using var connection = await ConnectAsAppAsync(null);

        var row = Assert.Single(await QueryAsync(connection, "SELECT user_id, tenant_id FROM find_user_for_sign_in(@p)", _a.UserEmail.ToUpperInvariant()));
        Assert.Equal([_a.UserId, _a.TenantId], row);
        Assert.Empty(await QueryAsync(connection, "SELECT user_id FROM find_user_for_sign_in(@p)", "nobody@nowhere.test"));
    }

    [Fact]
    public async Task Knowledge_lexical_candidates_returns_only_the_current_tenants_chunks()
    {
        foreach (var (tenantId, expected) in new[] { (_a.TenantId, 1L), ((Guid?)null, 0L) }.Select(t => ((Guid?)t.Item1, t.Item2)))
        {
            await using var connection = await ConnectAsAppAsync(tenantId);
            await using var command = new NpgsqlCommand("SELECT count(*) FROM knowledge_lexical_candidates(@bases, 'hello', 10)", connection);
            command.Parameters.AddWithValue("bases", new[] { _a.KnowledgeBaseId, _b.KnowledgeBaseId });
            Assert.Equal(expected, (long)(await command.ExecuteScalarAsync())!);
        }
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<object[]>> QueryAsync(NpgsqlConnection connection, string sql, string parameter)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("p", parameter);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            rows.Add(values);
        }
        return rows;
    }
}
