using Npgsql;

namespace SaasAssistants.Testing.Servers;

/// <summary>Healthy = accepts a connection and answers a query.</summary>
public static class PostgresHealth
{
    public static async Task<bool> CanConnectAsync(string connectionString, CancellationToken cancellationToken)
    {
        // No pooling: an idle pooled connection would hold the database open (DROP DATABASE, smart shutdown).
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 3 };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return false;
        }
    }
}
