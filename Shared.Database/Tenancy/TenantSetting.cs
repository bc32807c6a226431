using Npgsql;

namespace SaasAssistants.Database.Tenancy;

/// <summary>The one statement that scopes a PostgreSQL connection to a tenant; also used by hand-written SQL.</summary>
public static class TenantSetting
{
    public static async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid? tenantId, bool isLocal, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT set_config('app.tenant_id', $1, $2)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId?.ToString() ?? string.Empty });
        command.Parameters.Add(new NpgsqlParameter { Value = isLocal });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
