using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Pgvector;
using SaasAssistants.Database;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Database;

/// <summary>
/// pgvector as the services get it: the extension from migration 0005, and a <see cref="SaasDbContext"/> from
/// AddSaasDatabase (the app role's data source) that writes and reads <see cref="Vector"/> values and whose
/// nearest-neighbour query runs on an HNSW index. No table of the schema has a vector column yet, so the rows live in
/// a temporary table of the test's connection.
/// </summary>
public sealed class VectorTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private static readonly float[][] Embeddings = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0]];

    private IHost _host = null!;

    public Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "vector-tests" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:saas"] = database.AppConnectionString,
            ["Secrets:EncryptionKey"] = database.EncryptionKey,
        });
        builder.AddSaasDatabase();
        _host = builder.Build();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_migrations_create_the_vector_extension()
    {
        await using var owner = new NpgsqlConnection(database.OwnerConnectionString);
        await owner.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT extversion FROM pg_extension WHERE extname = 'vector'", owner);

        var version = await command.ExecuteScalarAsync() as string;

        Assert.False(string.IsNullOrEmpty(version), "migration 0005 did not create the vector extension");
    }

    [Fact]
    public async Task Vectors_written_through_EF_read_back_and_the_nearest_come_from_the_hnsw_index()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SaasDbContext>();
        // One connection for the whole test: a temporary table lives and dies with it.
        await db.Database.OpenConnectionAsync();
        await db.Database.ExecuteSqlRawAsync("CREATE TEMP TABLE probe_embeddings (id integer PRIMARY KEY, embedding vector(3) NOT NULL)");
        await db.Database.ExecuteSqlRawAsync("CREATE INDEX ix_probe_embeddings_hnsw ON probe_embeddings USING hnsw (embedding vector_cosine_ops)");
        for (var i = 0; i < Embeddings.Length; i++)
        {
            await db.Database.ExecuteSqlAsync($"INSERT INTO probe_embeddings (id, embedding) VALUES ({i + 1}, {new Vector(Embeddings[i])})");
        }

        var stored = await db.Database
            .SqlQuery<ProbeEmbedding>($"SELECT id AS \"Id\", embedding AS \"Embedding\" FROM probe_embeddings ORDER BY id")
            .ToListAsync();

        Assert.Equal(Embeddings, stored.Select(row => row.Embedding.ToArray()));

        // Four rows are cheaper to scan than to search, so the planner is told not to scan: then it must use the index.
        await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off");
        var query = new Vector(new float[] { 1, 0.1f, 0 });
        FormattableString nearestTwo = $"SELECT id AS \"Value\" FROM probe_embeddings ORDER BY embedding <=> {query} LIMIT 2";

        var plan = await ExplainAsync((NpgsqlConnection)db.Database.GetDbConnection(), query);
        var nearest = await db.Database.SqlQuery<int>(nearestTwo).ToListAsync();

        Assert.Contains("Index Scan using ix_probe_embeddings_hnsw", plan);
        Assert.Equal([1, 4], nearest); // cosine distance 0.005 to [1,0,0], 0.23 to [1,1,0], 0.90 and 1 to the others
    }

    private static async Task<string> ExplainAsync(NpgsqlConnection connection, Vector query)
    {
        await using var command = new NpgsqlCommand("EXPLAIN SELECT id FROM probe_embeddings ORDER BY embedding <=> $1 LIMIT 2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = query });
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    private sealed record ProbeEmbedding(int Id, Vector Embedding);
}
