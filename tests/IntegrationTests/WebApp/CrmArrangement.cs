using Npgsql;

namespace SaasAssistants.IntegrationTests.WebApp;

/// <summary>The seeded tenant's channels by type, its users, and rows read back as the owner (past row level security).</summary>
public sealed class CrmArrangement(string ownerConnectionString)
{
    public async Task<(Guid TenantId, Guid WorkspaceId, Guid ChannelId)> SeededChannelAsync(Guid tenantId, string type)
        => (tenantId,
            await ScalarAsync<Guid>("SELECT workspace_id FROM channels WHERE tenant_id = $1 AND type = $2", tenantId, type),
            await ScalarAsync<Guid>("SELECT id FROM channels WHERE tenant_id = $1 AND type = $2", tenantId, type));

    public Task<Guid> UserIdAsync(string email) => ScalarAsync<Guid>("SELECT id FROM users WHERE lower(email) = lower($1)", email);

    public async Task<T> ScalarAsync<T>(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
