using System.Text.Json;
using Microsoft.Extensions.AI;
using SaasAssistants.MessageProcessor.Ai.Providers;
using Xunit;

namespace SaasAssistants.IntegrationTests.AiProviders;

public sealed class OpenAIChatClientTests : IAsyncLifetime
{
    private ProviderWireServer _server = null!;

    public async Task InitializeAsync() => _server = await ProviderWireServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Sends_a_chat_completion_request_and_reads_text_model_usage_and_finish_reason()
    {
        _server.AnsweringModel = "gpt-4o-mini-2024-07-18";
        using var client = WireClients.Create(ProviderKind.OpenAI, _server);

        var response = await client.GetResponseAsync(WireClients.Conversation(), new ChatOptions { MaxOutputTokens = 300, Temperature = 0.2f });

        Assert.Equal("Hello from the wire.", response.Text);
        Assert.Equal("gpt-4o-mini-2024-07-18", response.ModelId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(12, response.Usage?.InputTokenCount);
        Assert.Equal(5, response.Usage?.OutputTokenCount);
        Assert.Equal(17, response.Usage?.TotalTokenCount);
        Assert.StartsWith("chatcmpl-", response.ResponseId);

        var request = Assert.Single(_server.Requests);
        Assert.Equal(ProviderWireServer.OpenAIPath, request.Path);
        Assert.Equal($"Bearer {WireClients.OpenAIKey}", request.Header("authorization"));
        Assert.Equal(WireClients.OpenAIModel, request.Body.GetProperty("model").GetString());
        Assert.Equal(300, request.Body.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal(0.2, request.Body.GetProperty("temperature").GetDouble(), precision: 5);
        var messages = request.Body.GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString(), ContentText(m.GetProperty("content")))).ToList();
        Assert.Equal(
            [("system", "You are the assistant of a bakery."), ("user", "Do you open on Sundays?"), ("assistant", "Yes, from 8 to 12."), ("user", "And on holidays?")],
            messages);
    }

    [Fact]
    public async Task A_model_named_in_the_call_replaces_the_configured_one()
    {
        using var client = WireClients.Create(ProviderKind.OpenAI, _server);

        var response = await client.GetResponseAsync("Hi", new ChatOptions { ModelId = "gpt-4.1" });

        Assert.Equal("gpt-4.1", response.ModelId);
        Assert.Equal("gpt-4.1", Assert.Single(_server.Requests).Body.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Works_without_a_key_for_servers_that_take_none()
    {
        var options = WireClients.Options(ProviderKind.OpenAI, _server);
        options.ApiKey = null;
        using var client = WireClients.Create(ProviderKind.OpenAI, options);

        var response = await client.GetResponseAsync("Hi");

        Assert.Equal("Hello from the wire.", response.Text);
    }

    [Fact]
    public async Task Rate_limiting_carries_the_servers_retry_after()
    {
        _server.Behavior = WireBehavior.RateLimited;
        _server.RetryAfterSeconds = 7;
        using var client = WireClients.Create(ProviderKind.OpenAI, _server);

        var failure = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi"));

        Assert.Equal(ProviderErrorCodes.RateLimited, failure.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(7), failure.RetryAfter);
    }

    // The SDK would otherwise accept a string or an array of parts; it sends strings for plain text today.
    private static string? ContentText(JsonElement content) => content.ValueKind == JsonValueKind.String
        ? content.GetString()
        : string.Concat(content.EnumerateArray().Select(part => part.GetProperty("text").GetString()));
}
