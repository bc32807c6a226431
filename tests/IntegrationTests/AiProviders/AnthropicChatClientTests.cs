using Microsoft.Extensions.AI;
using SaasAssistants.MessageProcessor.Ai.Providers;
using Xunit;

namespace SaasAssistants.IntegrationTests.AiProviders;

public sealed class AnthropicChatClientTests : IAsyncLifetime
{
    private ProviderWireServer _server = null!;

    public async Task InitializeAsync() => _server = await ProviderWireServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Sends_a_messages_request_with_the_system_prompt_apart_and_reads_text_model_and_usage()
    {
        _server.AnsweringModel = "claude-haiku-4-5-20251001";
        using var client = WireClients.Create(ProviderKind.Anthropic, _server);

        var response = await client.GetResponseAsync(WireClients.Conversation(), new ChatOptions { MaxOutputTokens = 300 });

        Assert.Equal("Hello from the wire.", response.Text);
        Assert.Equal("claude-haiku-4-5-20251001", response.ModelId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(12, response.Usage?.InputTokenCount);
        Assert.Equal(5, response.Usage?.OutputTokenCount);
        Assert.Equal(17, response.Usage?.TotalTokenCount);
        Assert.StartsWith("msg_", response.ResponseId);

        var request = Assert.Single(_server.Requests);
        Assert.Equal(ProviderWireServer.AnthropicPath, request.Path);
        Assert.Equal(WireClients.AnthropicKey, request.Header("x-api-key"));
        Assert.False(string.IsNullOrEmpty(request.Header("anthropic-version")));
        Assert.Null(request.Header("authorization"));
        Assert.Equal(WireClients.AnthropicModel, request.Body.GetProperty("model").GetString());
        Assert.Equal(300, request.Body.GetProperty("max_tokens").GetInt32());
        Assert.Equal("You are the assistant of a bakery.", Text(request.Body.GetProperty("system")));
        var messages = request.Body.GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString(), Text(m.GetProperty("content")))).ToList();
        Assert.Equal([("user", "Do you open on Sundays?"), ("assistant", "Yes, from 8 to 12."), ("user", "And on holidays?")], messages);
    }

    /// <summary>Content as a string or as text blocks: the messages API takes both.</summary>
    private static string Text(System.Text.Json.JsonElement content) => content.ValueKind == System.Text.Json.JsonValueKind.String
        ? content.GetString()!
        : string.Concat(content.EnumerateArray().Select(b => b.GetProperty("text").GetString()));

    [Fact]
    public async Task Sends_the_default_max_tokens_and_no_system_field_when_there_is_no_system_prompt()
    {
        using var client = WireClients.Create(ProviderKind.Anthropic, _server);

        await client.GetResponseAsync("Hi");

        var request = Assert.Single(_server.Requests);
        Assert.Equal(AnthropicChatClient.DefaultMaxOutputTokens, request.Body.GetProperty("max_tokens").GetInt32());
        Assert.False(request.Body.TryGetProperty("system", out _));
    }
}
