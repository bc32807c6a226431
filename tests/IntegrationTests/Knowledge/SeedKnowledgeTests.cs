using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.IntegrationTests.TaskEngine.Support;
using SaasAssistants.Knowledge.Search;
using SaasAssistants.MessageProcessor.Ai;
using SaasAssistants.Testing;
using Xunit;
using Xunit.Abstractions;
using KnowledgeBaseRetriever = SaasAssistants.MessageProcessor.Knowledge.KnowledgeBaseRetriever;
using RetrievedPassage = SaasAssistants.MessageProcessor.Knowledge.KnowledgePassage;

namespace SaasAssistants.IntegrationTests.Knowledge;

/// <summary>
/// The development seed's knowledge base, indexed by the real worker as on a developer's first start, then asked a
/// labelled set of questions in Portuguese and English (hit@3 reported), and answered by the local responder.
/// </summary>
public class SeedKnowledgeTests(SeedKnowledgeTests.SeededKnowledge seeded, ITestOutputHelper output) : IClassFixture<SeedKnowledgeTests.SeededKnowledge>
{
    [Fact]
    public async Task The_demo_tenant_has_one_knowledge_base_attached_to_its_assistant_with_every_document_indexed()
    {
        var arrange = new PublicApi.ApiArrangement(seeded.Database.OwnerConnectionString);
        Assert.Equal(1L, await arrange.ScalarAsync<long>("SELECT count(*) FROM knowledge_bases WHERE tenant_id = $1", seeded.TenantId));
        Assert.Equal(1L, await arrange.ScalarAsync<long>("SELECT count(*) FROM assistant_knowledge_bases WHERE tenant_id = $1", seeded.TenantId));
        Assert.Equal(6L, await arrange.ScalarAsync<long>("SELECT count(*) FROM knowledge_documents WHERE tenant_id = $1 AND status = 'indexed'", seeded.TenantId));
    }

    [Fact]
    public async Task The_labelled_questions_find_their_document_in_the_top_three()
    {
        var labelled = SeedKnowledgeQuestions.Labelled;
        Assert.True(labelled.Count >= 30);
        int topicHits = 0, languageHits = 0;
        foreach (var (question, topic, language) in labelled)
        {
            var passages = await seeded.SearchAsync(question);
            var top3 = passages.Take(3).Select(p => p.DocumentName).ToList();
            var hit = SeedKnowledgeQuestions.RankOfTopic(top3, topic) is not null;
            topicHits += hit ? 1 : 0;
            languageHits += top3.Any(name => SeedKnowledgeQuestions.Documents[name] == (topic, language)) ? 1 : 0;
            output.WriteLine($"{(hit ? "hit " : "MISS")} {question} -> {string.Join(", ", top3)}");
        }
        var hitAt3 = (double)topicHits / labelled.Count;
        output.WriteLine($"hit@3 (document of the right topic) = {topicHits}/{labelled.Count} = {hitAt3:P0}; in the question's language = {languageHits}/{labelled.Count}");
        Assert.True(hitAt3 >= 0.9, $"hit@3 {hitAt3:P0}");
    }

    [Theory]
    [InlineData("Quanto custa o frete?", "R$ 12,90", "(Fonte: entrega.md › Entrega > Frete)")]
    [InlineData("Are you open on Saturday?", "Saturdays from 9 am to 1 pm", "(Source: opening-hours.md › Opening hours)")]
    [InlineData("Posso pagar com boleto?", "boleto", "(Fonte: precos.md › Preços e planos > Pagamento)")]
    public async Task The_local_responder_answers_from_the_seed_knowledge_and_cites_the_source(string question, string fact, string citation)
    {
        // As ai.reply hands them over: the assistant's passages from the real retriever, with their sources, in the
        // system prompt and the options.
        var knowledge = await seeded.RetrieveAsync(question);
        var system = AssistantPrompt.BuildSystem("You are helpful.", null, "Hi!", greetingShown: true, summary: null, knowledge);
        List<ChatMessage> messages = [system, new ChatMessage(ChatRole.User, question)];
        var options = AssistantPrompt.BuildOptions("Hi!", greetingShown: true, knowledge, model: null, maxOutputTokens: null);

        var reply = (await new LocalResponderChatClient(TimeProvider.System).GetResponseAsync(messages, options)).Text;

        output.WriteLine(reply);
        Assert.Contains(fact, reply);
        Assert.EndsWith(citation, reply);
        // A provider's model gets the same passages, each under its source, and is told to cite it.
        Assert.Contains($"source: {knowledge[0].Source.Citation}\n", system.Text);
        Assert.Contains("(Fonte: <source>)", system.Text);
    }

    /// <summary>The seeded database and a worker that indexed its documents.</summary>
    public sealed class SeededKnowledge : IAsyncLifetime
    {
        private RabbitMQVirtualHost _messaging = null!;

        public SeededTestDatabase Database { get; } = new();
        public KnowledgeWorker Worker { get; private set; } = null!;
        public Guid TenantId => Database.Seed!.TenantId;
        public Guid AssistantId { get; private set; }

        public async Task InitializeAsync()
        {
            await Database.InitializeAsync();
            _messaging = await RabbitMQVirtualHost.CreateAsync();
            Worker = await KnowledgeWorker.StartAsync(Database.AppConnectionString, _messaging.ConnectionString, Database.EncryptionKey);
            var arrange = new PublicApi.ApiArrangement(Database.OwnerConnectionString);
            AssistantId = await arrange.ScalarAsync<Guid>("SELECT assistant_id FROM assistant_knowledge_bases WHERE tenant_id = $1", TenantId);
            await Wait.UntilAsync(async () => await arrange.ScalarAsync<long>(
                "SELECT count(*) FROM knowledge_documents WHERE tenant_id = $1 AND status <> 'indexed'", TenantId) == 0,
                TimeSpan.FromSeconds(90), "the seed's documents to be indexed");
        }

        public async Task DisposeAsync()
        {
            await Worker.DisposeAsync();
            await _messaging.DisposeAsync();
            await Database.DisposeAsync();
        }

        public async Task<IReadOnlyList<KnowledgePassage>> SearchAsync(string question)
        {
            await using var scope = Worker.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(TenantId);
            return await scope.ServiceProvider.GetRequiredService<IKnowledgeSearch>().SearchAsync(new KnowledgeQuery(question, AssistantId: AssistantId), CancellationToken.None);
        }

        /// <summary>The assistant's passages as ai.reply gets them: through the MessageProcessor's retriever.</summary>
        public async Task<IReadOnlyList<RetrievedPassage>> RetrieveAsync(string question)
        {
            await using var scope = Worker.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(TenantId);
            var retriever = new KnowledgeBaseRetriever(scope.ServiceProvider.GetRequiredService<IKnowledgeSearch>(), NullLogger<KnowledgeBaseRetriever>.Instance);
            return await retriever.RetrieveAsync(AssistantId, question, 5, CancellationToken.None);
        }
    }
}
