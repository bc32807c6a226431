using Npgsql;

namespace SaasAssistants.IntegrationTests.MessageProcessor;

/// <summary>
/// Every conversation-related row of one tenant, reduced to a count and a digest per table and read as the owner
/// (past row level security): two equal states mean not one row was added, removed or changed.
/// </summary>
public sealed record TenantState(IReadOnlyDictionary<string, (long Rows, string? Digest)> Tables)
{
    private static readonly string[] TableNames = ["contacts", "conversations", "messages", "outbox_messages"];

    public long this[string table] => Tables[table].Rows;

    public static async Task<TenantState> CaptureAsync(string ownerConnectionString, Guid tenantId)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        var tables = new Dictionary<string, (long, string?)>();
        foreach (var table in TableNames)
        {
            // The table name is one of the constants above, never input.
            await using var command = new NpgsqlCommand(
                $"SELECT count(*), md5(string_agg(t::text, '|' ORDER BY t.id)) FROM {table} t WHERE t.tenant_id = @tenant", connection);
            command.Parameters.AddWithValue("tenant", tenantId);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            tables[table] = (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1));
        }
        return new TenantState(tables);
    }

    public bool Equals(TenantState? other) => other is not null && Tables.Count == other.Tables.Count
        && Tables.All(t => other.Tables.TryGetValue(t.Key, out var value) && value == t.Value);

    public override int GetHashCode() => Tables.Count;

    public override string ToString() => string.Join(", ", Tables.Select(t => $"{t.Key}: {t.Value.Rows} ({t.Value.Digest})"));
}
