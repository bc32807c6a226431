using Npgsql;
using Xunit;

namespace SaasAssistants.IntegrationTests.Channels;

/// <summary>Reads and writes as the owner: past row level security, as an operator inspecting the audit trail would.</summary>
public sealed class OwnerQueries(string ownerConnectionString)
{
    public async Task<List<T>> ListAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params object?[] values)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public async Task<T> SingleAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params object?[] values)
    {
        var rows = await ListAsync(sql, read, values);
        Assert.True(rows.Count == 1, $"Expected one row, got {rows.Count}, for: {sql}");
        return rows[0];
    }

    public async Task ExecuteAsync(string sql, params object?[] values)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        await command.ExecuteNonQueryAsync();
    }
}
