namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>The wire protocol a configured provider speaks.</summary>
public enum ProviderKind
{
    /// <summary>OpenAI chat completions: OpenAI itself, Azure OpenAI's v1 endpoint, Ollama, vLLM and other compatible servers.</summary>
    OpenAI,

    /// <summary>Anthropic's messages API.</summary>
    Anthropic,

    /// <summary>The built-in local responder: no network, no key.</summary>
    Local,
}
