using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.IntegrationTests.AiProviders;
using SaasAssistants.IntegrationTests.MessageProcessor;
using SaasAssistants.MessageProcessor.Ai;
using SaasAssistants.MessageProcessor.Knowledge;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.ConversationEngine;

/// <summary>
/// The assistant's tools through a whole ai.reply, against a local server speaking OpenAI's or Anthropic's wire format:
/// a model that asks for a person hands the conversation over (no longer only the built-in responder can), and a model
/// that looks up knowledge gets the passages and answers with them.
/// </summary>
public sealed class ProviderToolReplyTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Theory]
    [InlineData("OpenAI")]
    [InlineData("Anthropic")]
    public async Task A_model_calling_request_human_hands_the_conversation_over_with_an_honest_reply(string kind)
    {
        await using var server = await ProviderWireServer.StartAsync();
        server.ToolCalls.Enqueue(new WireToolCall("call_h", HandoffTool.Name, """{"reason":"wants a refund"}"""));
        var (host, tenant, rows) = await ArrangeAsync(server, kind, "Refund Bakery");
        using (host)
        {
            await host.HandleAsync(tenant.Inbound("visitor-" + Guid.NewGuid().ToString("N")[..8], "Quero meu dinheiro de volta, o pão veio errado"));

            await host.RunTaskAsync(rows, tenant.TenantId, Assert.Single(await rows.TasksAsync("ai.reply")).Id);

            Assert.Equal(1, server.RequestCount);
            var conversation = Assert.Single(await rows.ConversationsAsync());
            Assert.Equal(("waiting_for_human", "assistant_cannot_help"), (conversation.Handoff, conversation.HandoffReason));
            Assert.Equal("Passei sua mensagem para a nossa equipe. Eles vão responder você nesta conversa.",
                Assert.Single(await rows.MessagesAsync(), m => m.Direction == "outbound").Text);
        }
    }

    [Theory]
    [InlineData("OpenAI")]
    [InlineData("Anthropic")]
    public async Task A_model_looking_up_knowledge_gets_the_passages_and_answers_with_them(string kind)
    {
        await using var server = await ProviderWireServer.StartAsync();
        server.ToolCalls.Enqueue(new WireToolCall("call_k", AssistantTools.SearchKnowledgeName, """{"query":"sourdough price"}"""));
        server.ReplyText = "A loaf of sourdough costs R$ 18.";
        var (host, tenant, rows) = await ArrangeAsync(server, kind, "Sourdough Bakery");
        using (host)
        {
            await host.HandleAsync(tenant.Inbound("visitor-" + Guid.NewGuid().ToString("N")[..8], "How much is the bread?"));

            var result = await host.RunTaskAsync(rows, tenant.TenantId, Assert.Single(await rows.TasksAsync("ai.reply")).Id);

            Assert.Equal(2, server.RequestCount);
            Assert.Contains(BakeryKnowledge.SourdoughEnglish, server.Requests[1].Body.GetProperty("messages").GetRawText());
            Assert.Equal("A loaf of sourdough costs R$ 18.", Assert.Single(await rows.MessagesAsync(), m => m.Direction == "outbound").Text);
            Assert.Equal("assistant", Assert.Single(await rows.ConversationsAsync()).Handoff);
            // The attempt pays for both rounds.
            Assert.Equal((2 * server.InputTokens, 2 * server.OutputTokens), (result.Usage!.TokensIn, result.Usage.TokensOut));
        }
    }

    private async Task<(EngineHost Host, TenantChannel Tenant, StoredRows Rows)> ArrangeAsync(ProviderWireServer server, string kind, string name)
    {
        var host = await EngineHost.CreateAsync(database, new Dictionary<string, string?>
        {
            ["Ai:Providers:wire:Kind"] = kind,
            ["Ai:Providers:wire:Endpoint"] = kind == "OpenAI" ? server.OpenAIEndpoint.ToString() : server.BaseAddress.ToString(),
            ["Ai:Providers:wire:ApiKey"] = kind == "OpenAI" ? WireClients.OpenAIKey : WireClients.AnthropicKey,
            ["Ai:Providers:wire:Model"] = kind == "OpenAI" ? WireClients.OpenAIModel : WireClients.AnthropicModel,
            ["Ai:Chain:0"] = "wire",
        }, services => services.AddScoped<IKnowledgeRetriever, BakeryKnowledge>());
        var tenant = await TenantChannel.InsertAsync(database.OwnerConnectionString, name, bufferTimeoutMs: 0);
        return (host, tenant, new StoredRows(database.OwnerConnectionString, tenant.TenantId));
    }
}
