using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using SaasAssistants.Database.Tenancy;
using Xunit;

namespace SaasAssistants.IntegrationTests.Knowledge;

/// <summary>
/// The full-text half of the hybrid search (knowledge_lexical_candidates, migration 0014), called as the app role with
/// the tenant set, exactly as HybridKnowledgeSearch calls it: chunks holding two of the question's words come before
/// chunks holding one (even one said many times), a one-word question still finds its chunks, and another tenant's
/// chunks never appear.
/// </summary>
public class LexicalCandidatesTests(LexicalCandidatesTests.IndexedChunks chunks) : IClassFixture<LexicalCandidatesTests.IndexedChunks>
{
    private readonly KnowledgeFixture _fixture = chunks.Knowledge;
    private readonly Guid _repeated = chunks.Repeated;
    private readonly Guid _both = chunks.Both;
    private readonly Guid _otherTenant = chunks.OtherTenant;

    [Fact]
    public async Task A_chunk_holding_two_of_the_words_comes_before_one_repeating_a_single_word()
        => Assert.Equal([_both, _repeated], await CandidatesAsync(_fixture.TenantA, "parrot cage"));

    [Fact]
    public async Task A_one_word_question_still_finds_its_chunks()
    {
        Assert.Equal([_both], await CandidatesAsync(_fixture.TenantA, "cages"));
        Assert.Equal([_repeated], await CandidatesAsync(_fixture.TenantA, "dancing"));
    }

    [Fact]
    public async Task Another_tenants_chunks_never_appear_even_when_its_bases_are_named()
    {
        var found = await CandidatesAsync(_fixture.TenantA, "parrot cage", _fixture.TenantB.KnowledgeBaseId);

        Assert.Empty(found);
        Assert.Equal([_otherTenant], await CandidatesAsync(_fixture.TenantB, "parrot cage"));
    }

    private async Task<List<Guid>> CandidatesAsync(KnowledgeTenant tenant, string question, Guid? knowledgeBaseId = null)
    {
        await using var connection = new NpgsqlConnection(_fixture.Database.AppConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await TenantSetting.ApplyAsync(connection, transaction, tenant.Api.TenantId, isLocal: true, CancellationToken.None);
        await using var command = new NpgsqlCommand("SELECT id FROM knowledge_lexical_candidates($1, $2, 40)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = new[] { knowledgeBaseId ?? tenant.KnowledgeBaseId } });
        command.Parameters.Add(new NpgsqlParameter { Value = question });
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }

    /// <summary>The knowledge fixture with three documents indexed by the real worker, once for the class.</summary>
    public sealed class IndexedChunks : IAsyncLifetime
    {
        public KnowledgeFixture Knowledge { get; } = new();
        public Guid Repeated { get; private set; }
        public Guid Both { get; private set; }
        public Guid OtherTenant { get; private set; }

        public async Task InitializeAsync()
        {
            await Knowledge.InitializeAsync();
            Repeated = await IndexAsync(Knowledge.TenantA, "parrots.txt", "Our parrot sings. The parrot talks, the parrot dances, and every parrot loves the parrot song.");
            Both = await IndexAsync(Knowledge.TenantA, "cages.txt", "Every parrot cage is sold with a perch and a water bowl.");
            OtherTenant = await IndexAsync(Knowledge.TenantB, "cages.txt", "A parrot cage for tenant B, with the same words.");
        }

        public Task DisposeAsync() => Knowledge.DisposeAsync();

        /// <summary>Uploads a text document through the API and returns its only chunk once the worker indexed it.</summary>
        private async Task<Guid> IndexAsync(KnowledgeTenant tenant, string name, string text)
        {
            var client = Knowledge.Client(tenant);
            var upload = await KnowledgeFixture.UploadAsync(client, tenant.KnowledgeBaseId, name, Encoding.UTF8.GetBytes(text), "text/plain", "en");
            var documentId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var document = await KnowledgeFixture.WaitUntilIndexedAsync(client, tenant.KnowledgeBaseId, documentId);
            Assert.Equal("indexed", document.GetProperty("status").GetString());
            return await Knowledge.Arrange.ScalarAsync<Guid>("SELECT id FROM knowledge_chunks WHERE document_id = $1", documentId);
        }
    }
}
