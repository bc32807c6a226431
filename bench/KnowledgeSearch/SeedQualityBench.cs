using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.Setup;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.Knowledge.Indexing;
using SaasAssistants.Knowledge.Search;
using SaasAssistants.Testing;
using SaasAssistants.Testing.Servers;

namespace SaasAssistants.Bench.KnowledgeSearch;

/// <summary>
/// Retrieval quality on the development seed (issue 10): its six documents indexed by the product's own indexer with
/// the local model, then the labelled questions of <see cref="SeedKnowledgeQuestions"/> asked through the product's
/// search exactly as a reply asks them (the assistant's bases, the default limit and threshold). Prints each question's
/// top 3, then hit@1, hit@3 and MRR by language, and how often the top 3 holds the answer in the question's language.
/// </summary>
public static class SeedQualityBench
{
    public static async Task RunAsync()
    {
        var folder = Directory.CreateTempSubdirectory("saas-bench-knowledge-quality-").FullName;
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        var server = new PostgresServer(new PostgresServerOptions(Path.Combine(folder, "postgres"), PortAvailability.GetFreePort(), TestSecrets.RandomUrlSafe(24)) { Durable = false });
        try
        {
            await server.StartAsync(TimeSpan.FromSeconds(120), CancellationToken.None);
            var owner = server.GetConnectionString("bench");
            var appPassword = TestSecrets.RandomUrlSafe(24);
            var encryptionKey = TestSecrets.EncryptionKey();
            var seed = await DatabaseSetup.RunAsync(owner, new DatabaseSetupOptions
            {
                AppRoleName = "saas_app",
                AppRolePassword = appPassword,
                Seed = new SeedOptions { EncryptionKey = encryptionKey },
            }, NullLogger.Instance, CancellationToken.None) ?? throw new InvalidOperationException("The development seed did not run.");
            var app = new NpgsqlConnectionStringBuilder(owner) { Username = "saas_app", Password = appPassword }.ConnectionString;

            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "knowledge-quality-bench" });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:saas"] = app,
                ["Secrets:EncryptionKey"] = encryptionKey,
            });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.AddSaasDatabase();
            builder.AddKnowledge();
            using var host = builder.Build();

            // Index the seed's documents as the knowledge.index task does (one scope per document, the tenant set).
            var documents = await InTenantAsync(host, seed.TenantId, db => db.KnowledgeDocuments.OrderBy(d => d.Name).Select(d => d.Id).ToListAsync());
            var assistantId = await InTenantAsync(host, seed.TenantId, db => db.AssistantKnowledgeBases.Select(a => a.AssistantId).SingleAsync());
            await InTenantAsync(host, seed.TenantId, async (IServiceProvider services) =>
                await services.GetRequiredService<KnowledgeIndexer>().IndexAsync(documents[0], null, CancellationToken.None)); // loads the model
            var sw = Stopwatch.StartNew();
            var chunks = 0;
            foreach (var documentId in documents)
            {
                var indexed = await InTenantAsync(host, seed.TenantId, async (IServiceProvider services) =>
                    await services.GetRequiredService<KnowledgeIndexer>().IndexAsync(documentId, null, CancellationToken.None));
                chunks += indexed.Chunks;
            }
            Console.WriteLine($"indexed the seed's {documents.Count} documents through KnowledgeIndexer: {chunks} chunks in {sw.Elapsed.TotalSeconds:F2} s "
                + $"= {chunks / sw.Elapsed.TotalSeconds:F1} chunks/s (read, chunk, embed with the local model, store)");

            var results = new List<(string Language, int? Rank, bool SameLanguageInTop3)>();
            var latencies = new List<double>();
            foreach (var (question, topic, language) in SeedKnowledgeQuestions.Labelled)
            {
                sw.Restart();
                var passages = await InTenantAsync(host, seed.TenantId, async (IServiceProvider services) =>
                    await services.GetRequiredService<IKnowledgeSearch>().SearchAsync(new KnowledgeQuery(question, AssistantId: assistantId), CancellationToken.None));
                latencies.Add(sw.Elapsed.TotalMilliseconds);
                var names = passages.Select(p => p.DocumentName).ToList();
                var rank = SeedKnowledgeQuestions.RankOfTopic(names, topic);
                var sameLanguage = names.Take(3).Any(n => SeedKnowledgeQuestions.Documents[n] == (topic, language));
                results.Add((language, rank, sameLanguage));
                Console.WriteLine($"  {(rank is <= 3 ? "hit " : "MISS")} [{language}] {question} -> {string.Join(", ", passages.Take(3).Select(p => p.Source))}");
            }

            Console.WriteLine($"labelled questions: {results.Count} ({results.Count(r => r.Language == "pt")} pt-BR, {results.Count(r => r.Language == "en")} en)");
            foreach (var (label, subset) in new[] { ("all", results), ("pt-BR", results.Where(r => r.Language == "pt").ToList()), ("en", results.Where(r => r.Language == "en").ToList()) })
            {
                Console.WriteLine($"  {label,-5} hit@1 {subset.Count(r => r.Rank == 1)}/{subset.Count}, hit@3 {subset.Count(r => r.Rank <= 3)}/{subset.Count} "
                    + $"= {subset.Count(r => r.Rank <= 3) / (double)subset.Count:P0}, MRR {subset.Average(r => r.Rank is { } rank ? 1.0 / rank : 0):F3}, "
                    + $"answer in the question's language in the top 3: {subset.Count(r => r.SameLanguageInTop3)}/{subset.Count}");
            }
            latencies.Sort();
            Console.WriteLine($"search (embed the question + hybrid SQL, no cache): p50 {latencies[latencies.Count / 2]:F1} ms, max {latencies[^1]:F1} ms");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await server.StopAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Task<T> InTenantAsync<T>(IHost host, Guid tenantId, Func<SaasDbContext, Task<T>> work)
        => InTenantAsync(host, tenantId, (IServiceProvider services) => work(services.GetRequiredService<SaasDbContext>()));

    private static async Task<T> InTenantAsync<T>(IHost host, Guid tenantId, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
        return await work(scope.ServiceProvider);
    }
}
