using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.IntegrationTests.AiProviders;
using SaasAssistants.IntegrationTests.ConversationEngine;
using SaasAssistants.IntegrationTests.MessageProcessor;
using SaasAssistants.MessageProcessor.Conversations;
using SaasAssistants.MessageProcessor.Knowledge;
using SaasAssistants.MessageProcessor.Replies;
using SaasAssistants.MessageProcessor.Tasks;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Knowledge;

/// <summary>
/// ai.reply hands the model its knowledge with the sources, so an answer can cite them: the request a provider
/// receives (a local server speaking OpenAI's wire format) lists each passage under its document, heading path and
/// page, and asks for the source to be named.
/// </summary>
public sealed class ReplyKnowledgeSourcesTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_provider_receives_each_passage_under_its_source()
    {
        await using var server = await ProviderWireServer.StartAsync();
        server.ReplyText = "We open from 8 am to 1 pm on Sundays.";
        using var host = await EngineHost.CreateAsync(database, WireClients.OpenAIChainSettings(server, "house-model"), services => services.AddScoped<IKnowledgeRetriever, PagedKnowledge>());
        var tenant = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Sources Bakery", bufferTimeoutMs: 0);
        var rows = new StoredRows(database.OwnerConnectionString, tenant.TenantId);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<InboundMessageHandler>()
                .HandleAsync(tenant.Inbound("visitor-sources", "When do you open on Sunday?"), CancellationToken.None);
        }
        var task = Assert.Single(await rows.TasksAsync("ai.reply"));

        await using (var scope = host.TenantScope(tenant.TenantId))
        {
            using var payload = JsonDocument.Parse(task.Payload);
            await scope.ServiceProvider.GetServices<ITaskProcessor>().Single(p => p.Type == AiReplyProcessor.TaskType).ProcessAsync(new TaskExecution
            {
                TaskId = task.Id, TenantId = tenant.TenantId, Type = task.Type, Attempt = 1, MaxAttempts = 3,
                Payload = payload.RootElement, Services = scope.ServiceProvider,
            }, CancellationToken.None);
        }

        var system = server.Requests[0].Body.GetProperty("messages").EnumerateArray().First(m => m.GetProperty("role").GetString() == "system")
            .GetProperty("content").ToString();
        Assert.Contains($"[1] source: faq-en.md › Opening hours\n{PagedKnowledge.SundayHours}", system);
        Assert.Contains($"[2] source: price-list.pdf › Bread > Sourdough (p. 3)\n{PagedKnowledge.Sourdough}", system);
        Assert.Contains("(Source: <source>)", system);
    }

    private sealed class PagedKnowledge : IKnowledgeRetriever
    {
        public const string SundayHours = "On Sundays we open from 8 am to 1 pm.";
        public const string Sourdough = "A sourdough loaf costs R$ 18.";

        public Task<IReadOnlyList<KnowledgePassage>> RetrieveAsync(Guid assistantId, string query, int limit, CancellationToken cancellationToken)
            => Task.FromResult<IReadOnlyList<KnowledgePassage>>(
            [
                new(SundayHours, new KnowledgeSource("faq-en.md", "Opening hours"), 0.9, "en"),
                new(Sourdough, new KnowledgeSource("price-list.pdf", "Bread > Sourdough", Page: 3), 0.4, "en"),
            ]);
    }
}
