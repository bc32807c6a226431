using Microsoft.Extensions.AI;
using SaasAssistants.MessageProcessor.Ai.Providers;

namespace SaasAssistants.IntegrationTests.AiProviders;

/// <summary>Provider settings and clients pointed at a <see cref="ProviderWireServer"/>.</summary>
public static class WireClients
{
    public const string OpenAIKey = "sk-test-openai";
    public const string AnthropicKey = "sk-ant-test";
    public const string OpenAIModel = "gpt-4o-mini";
    public const string AnthropicModel = "claude-haiku-4-5";

    public static ProviderOptions Options(ProviderKind kind, ProviderWireServer server, int timeoutSeconds = 5) => kind switch
    {
        ProviderKind.OpenAI => new() { Kind = kind, Endpoint = server.OpenAIEndpoint, ApiKey = OpenAIKey, Model = OpenAIModel, TimeoutSeconds = timeoutSeconds },
        ProviderKind.Anthropic => new() { Kind = kind, Endpoint = server.BaseAddress, ApiKey = AnthropicKey, Model = AnthropicModel, TimeoutSeconds = timeoutSeconds },
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A service's configuration for one OpenAI-format provider, "wire", on the local server, as its whole chain.</summary>
    public static Dictionary<string, string?> OpenAIChainSettings(ProviderWireServer server, string model) => new()
    {
        ["Ai:Providers:wire:Kind"] = "OpenAI",
        ["Ai:Providers:wire:Endpoint"] = server.OpenAIEndpoint.ToString(),
        ["Ai:Providers:wire:ApiKey"] = OpenAIKey,
        ["Ai:Providers:wire:Model"] = model,
        ["Ai:Chain:0"] = "wire",
    };

    public static IChatClient Create(ProviderKind kind, ProviderWireServer server, int timeoutSeconds = 5) => Create(kind, Options(kind, server, timeoutSeconds));

    public static IChatClient Create(ProviderKind kind, ProviderOptions options) => kind switch
    {
        ProviderKind.OpenAI => new OpenAIChatClient("openai", options, TimeProvider.System),
        ProviderKind.Anthropic => new AnthropicChatClient("claude", options),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static List<ChatMessage> Conversation() =>
    [
        new(ChatRole.System, "You are the assistant of a bakery."),
        new(ChatRole.User, "Do you open on Sundays?"),
        new(ChatRole.Assistant, "Yes, from 8 to 12."),
        new(ChatRole.User, "And on holidays?"),
    ];
}
