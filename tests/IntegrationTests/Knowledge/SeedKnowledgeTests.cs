using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.IntegrationTests.TaskEngine.Support;
using SaasAssistants.Knowledge.Search;
using SaasAssistants.MessageProcessor.Ai;
using SaasAssistants.Testing;
using Xunit;
using Xunit.Abstractions;

namespace SaasAssistants.IntegrationTests.Knowledge;

/// <summary>
/// The development seed's knowledge base, indexed by the real worker as on a developer's first start, then asked a
/// labelled set of questions in Portuguese and English (hit@3 reported), and answered by the local responder.
/// </summary>
public class SeedKnowledgeTests(SeedKnowledgeTests.SeededKnowledge seeded, ITestOutputHelper output) : IClassFixture<SeedKnowledgeTests.SeededKnowledge>
{
    /// <summary>Question, and the topic of the document that answers it (hours, delivery, prices).</summary>
    public static readonly (string Question, string Topic)[] Labelled =
    [
        ("Qual o horário de funcionamento da loja?", "hours"), ("Vocês abrem aos sábados?", "hours"), ("A loja abre no domingo?", "hours"),
        ("Até que horas vocês atendem no WhatsApp?", "hours"), ("Abrem em feriado?", "hours"), ("Que horas a loja fecha na sexta?", "hours"),
        ("What are your opening hours?", "hours"), ("Are you open on Saturday?", "hours"), ("Is the store open on Sundays?", "hours"),
        ("Until what time does the website chat answer?", "hours"), ("Are you closed on public holidays?", "hours"),
        ("Quanto custa o frete?", "delivery"), ("O frete é grátis?", "delivery"), ("Em quantos dias chega meu pedido?", "delivery"),
        ("Vocês entregam em outras cidades?", "delivery"), ("Como rastreio meu pedido?", "delivery"), ("Entrega no mesmo dia?", "delivery"),
        ("How much is shipping?", "delivery"), ("Is shipping free?", "delivery"), ("How long does delivery take?", "delivery"),
        ("Do you deliver to other cities?", "delivery"), ("How do I track my order?", "delivery"), ("Can I get same day delivery?", "delivery"),
        ("Quanto custa o plano profissional?", "prices"), ("Quais formas de pagamento vocês aceitam?", "prices"), ("Posso pagar com boleto?", "prices"),
        ("Tem desconto no plano anual?", "prices"), ("Quantos usuários tem o plano básico?", "prices"),
        ("How much is the Enterprise plan?", "prices"), ("Which payment methods do you accept?", "prices"), ("Can I pay in instalments?", "prices"),
        ("Is there a discount for yearly plans?", "prices"), ("How many conversations does the Basic plan include?", "prices"),
    ];

    private static readonly Dictionary<string, string> TopicOf = new()
    {
        ["horario-de-funcionamento.md"] = "hours", ["opening-hours.md"] = "hours", ["entrega.md"] = "delivery", ["delivery.md"] = "delivery",
        ["precos.md"] = "prices", ["prices.md"] = "prices",
    };

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
        Assert.True(Labelled.Length >= 30);
        int topicHits = 0, languageHits = 0;
        foreach (var (question, topic) in Labelled)
        {
            var passages = await seeded.SearchAsync(question);
            var top3 = passages.Take(3).Select(p => p.DocumentName).ToList();
            var isPortuguese = MessageLanguage.Detect([KeywordText.Parse(question)]).TwoLetterISOLanguageName == "pt";
            var hit = top3.Any(name => TopicOf[name] == topic);
            topicHits += hit ? 1 : 0;
            languageHits += top3.Any(name => TopicOf[name] == topic && IsEnglish(name) != isPortuguese) ? 1 : 0;
            output.WriteLine($"{(hit ? "hit " : "MISS")} {question} -> {string.Join(", ", top3)}");
        }
        var hitAt3 = (double)topicHits / Labelled.Length;
        output.WriteLine($"hit@3 (document of the right topic) = {topicHits}/{Labelled.Length} = {hitAt3:P0}; in the question's language = {languageHits}/{Labelled.Length}");
        Assert.True(hitAt3 >= 0.9, $"hit@3 {hitAt3:P0}");
    }

    [Theory]
    [InlineData("Quanto custa o frete?", "R$ 12,90")]
    [InlineData("Are you open on Saturday?", "Saturdays from 9 am to 1 pm")]
    [InlineData("Posso pagar com boleto?", "boleto")]
    public async Task The_local_responder_answers_from_the_seed_knowledge(string question, string fact)
    {
        // As ai.reply hands them over: the passages' texts in the system prompt and the options.
        var knowledge = (await seeded.SearchAsync(question)).Select(p => p.Text).ToList();
        List<ChatMessage> messages =
        [
            AssistantPrompt.BuildSystem("You are helpful.", null, "Hi!", greetingShown: true, summary: null, knowledge),
            new ChatMessage(ChatRole.User, question),
        ];
        var options = AssistantPrompt.BuildOptions("Hi!", greetingShown: true, knowledge, model: null, maxOutputTokens: null);

        var reply = (await new LocalResponderChatClient(TimeProvider.System).GetResponseAsync(messages, options)).Text;

        output.WriteLine(reply);
        Assert.Contains(fact, reply);
    }

    private static bool IsEnglish(string name) => name is "opening-hours.md" or "delivery.md" or "prices.md";

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
    }
}
