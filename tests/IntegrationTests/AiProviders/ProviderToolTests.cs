using System.Text.Json;
using Microsoft.Extensions.AI;
using SaasAssistants.IntegrationTests.ConversationEngine;
using SaasAssistants.MessageProcessor.Ai;
using SaasAssistants.MessageProcessor.Ai.Providers;
using Xunit;

namespace SaasAssistants.IntegrationTests.AiProviders;

/// <summary>
/// Function calling on each provider's real wire protocol: the assistant's tools (Semantic Kernel functions) go out as
/// OpenAI's <c>tools</c> / Anthropic's <c>tools</c>, a model's call comes back as a <see cref="FunctionCallContent"/>,
/// and a tool's result goes back as OpenAI's <c>role: tool</c> message / Anthropic's <c>tool_result</c> block.
/// </summary>
public sealed class ProviderToolTests : IAsyncLifetime
{
    private static readonly Guid AssistantId = Guid.NewGuid();
    private ProviderWireServer _server = null!;

    public async Task InitializeAsync() => _server = await ProviderWireServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(ProviderKind.OpenAI)]
    [InlineData(ProviderKind.Anthropic)]
    public async Task The_assistants_tools_go_out_on_the_wire_and_the_models_call_comes_back(ProviderKind kind)
    {
        _server.ToolCalls.Enqueue(new WireToolCall("call_handoff_1", HandoffTool.Name, """{"reason":"customer_asked"}"""));
        using var client = WireClients.Create(kind, _server);

        var response = await client.GetResponseAsync(WireClients.Conversation(),
            new ChatOptions { Tools = AssistantTools.For(new BakeryKnowledge(), AssistantId) });

        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal(("call_handoff_1", HandoffTool.Name), (call.CallId, call.Name));
        Assert.Equal(HandoffTool.CustomerAsked, HandoffTool.RequestedIn(response));

        var tools = Assert.Single(_server.Requests).Body.GetProperty("tools").EnumerateArray()
            .Select(tool => kind == ProviderKind.OpenAI ? OpenAITool(tool) : AnthropicTool(tool))
            .ToDictionary(t => t.Name);
        Assert.Equal([HandoffTool.Name, AssistantTools.SearchKnowledgeName], tools.Keys.Order());
        Assert.Equal(HandoffTool.Description, tools[HandoffTool.Name].Description);
        Assert.Equal("string", tools[HandoffTool.Name].Schema.GetProperty("properties").GetProperty("reason").GetProperty("type").GetString());
        Assert.Contains("query", tools[AssistantTools.SearchKnowledgeName].Schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
    }

    [Theory]
    [InlineData(ProviderKind.OpenAI)]
    [InlineData(ProviderKind.Anthropic)]
    public async Task A_knowledge_lookup_runs_and_its_result_goes_back_to_the_model_which_then_answers(ProviderKind kind)
    {
        _server.ToolCalls.Enqueue(new WireToolCall("call_search_1", AssistantTools.SearchKnowledgeName, """{"query":"holiday opening hours"}"""));
        _server.ReplyText = "On holidays we follow the Sunday hours: 8 am to 1 pm.";
        using var client = new FunctionInvokingChatClient(WireClients.Create(kind, _server));

        var response = await client.GetResponseAsync(WireClients.Conversation(),
            new ChatOptions { Tools = AssistantTools.For(new BakeryKnowledge(), AssistantId) });

        Assert.Equal("On holidays we follow the Sunday hours: 8 am to 1 pm.", response.Text);
        Assert.Null(HandoffTool.RequestedIn(response));
        // Both rounds are paid for: usage is the sum.
        Assert.Equal(2 * _server.InputTokens, response.Usage?.InputTokenCount);
        Assert.Equal(2, _server.RequestCount);

        var messages = _server.Requests[1].Body.GetProperty("messages").EnumerateArray().ToList();
        if (kind == ProviderKind.OpenAI)
        {
            var assistantCall = messages[^2];
            Assert.Equal("assistant", assistantCall.GetProperty("role").GetString());
            var toolCall = assistantCall.GetProperty("tool_calls")[0];
            Assert.Equal(("call_search_1", AssistantTools.SearchKnowledgeName), (toolCall.GetProperty("id").GetString(), toolCall.GetProperty("function").GetProperty("name").GetString()));
            var result = messages[^1];
            Assert.Equal(("tool", "call_search_1"), (result.GetProperty("role").GetString(), result.GetProperty("tool_call_id").GetString()));
            Assert.Contains(BakeryKnowledge.SundayHoursEnglish, Text(result.GetProperty("content")));
        }
        else
        {
            var assistantCall = messages[^2];
            Assert.Equal("assistant", assistantCall.GetProperty("role").GetString());
            var toolUse = assistantCall.GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_use");
            Assert.Equal(("call_search_1", AssistantTools.SearchKnowledgeName), (toolUse.GetProperty("id").GetString(), toolUse.GetProperty("name").GetString()));
            Assert.Equal("holiday opening hours", toolUse.GetProperty("input").GetProperty("query").GetString());
            var result = messages[^1];
            Assert.Equal("user", result.GetProperty("role").GetString());
            var toolResult = result.GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_result");
            Assert.Equal("call_search_1", toolResult.GetProperty("tool_use_id").GetString());
            Assert.Contains(BakeryKnowledge.SundayHoursEnglish, Text(toolResult.GetProperty("content")));
        }
    }

    [Theory]
    [InlineData(ProviderKind.OpenAI)]
    [InlineData(ProviderKind.Anthropic)]
    public async Task Asking_for_a_person_ends_the_exchange_so_the_handoff_commits_with_the_reply(ProviderKind kind)
    {
        _server.ToolCalls.Enqueue(new WireToolCall("call_handoff_2", HandoffTool.Name, """{"reason":"refund dispute"}"""));
        using var client = new FunctionInvokingChatClient(WireClients.Create(kind, _server));

        var response = await client.GetResponseAsync(WireClients.Conversation(),
            new ChatOptions { Tools = AssistantTools.For(new BakeryKnowledge(), AssistantId) });

        Assert.Equal(1, _server.RequestCount);
        Assert.Equal("refund dispute", HandoffTool.RequestedIn(response));
        Assert.Contains(response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>(),
            r => r.CallId == "call_handoff_2" && Equals(r.Result?.ToString(), AssistantTools.HandedOver));
    }

    private static (string Name, string? Description, JsonElement Schema) OpenAITool(JsonElement tool)
    {
        Assert.Equal("function", tool.GetProperty("type").GetString());
        var function = tool.GetProperty("function");
        return (function.GetProperty("name").GetString()!, function.GetProperty("description").GetString(), function.GetProperty("parameters"));
    }

    private static (string Name, string? Description, JsonElement Schema) AnthropicTool(JsonElement tool)
        => (tool.GetProperty("name").GetString()!, tool.GetProperty("description").GetString(), tool.GetProperty("input_schema"));

    /// <summary>Content as a string, or the text of its blocks: both are valid on either wire.</summary>
    private static string Text(JsonElement content) => content.ValueKind == JsonValueKind.String
        ? content.GetString()!
        : string.Concat(content.EnumerateArray().Select(b => b.TryGetProperty("text", out var t) ? t.GetString() : string.Empty));
}
