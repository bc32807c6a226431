using Microsoft.Extensions.AI;
using SaasAssistants.MessageProcessor.Ai.Providers;

namespace SaasAssistants.UnitTests.AiProviders;

/// <summary>A provider that answers, or fails, as the test says, and counts its calls.</summary>
public sealed class ScriptedChatClient(string provider, string model) : IChatClient
{
    public Func<Exception?> Failure { get; set; } = () => null;

    public int Calls { get; private set; }

    public void FailWithStatus(int status) => Failure = () => ProviderException.FromStatus(provider, status, "scripted", null);

    public void Answer() => Failure = () => null;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        cancellationToken.ThrowIfCancellationRequested();
        if (Failure() is { } failure)
        {
            throw failure;
        }

        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, $"from {provider}")) { ModelId = model });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
