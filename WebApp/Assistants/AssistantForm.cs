namespace SaasAssistants.WebApp.Assistants;

/// <summary>The create and edit form's fields. Language, model and chain are kept in the assistant's provider_settings.</summary>
public sealed class AssistantForm
{
    public string? Name { get; set; }
    public string? SystemPrompt { get; set; }
    public string? Greeting { get; set; }
    /// <summary>pt-BR or en; empty: answer in the customer's language.</summary>
    public string? Language { get; set; }
    public int? BufferTimeoutMs { get; set; }
    /// <summary>Provider names of the deployment's Ai:Providers, in order, separated by commas; empty: the deployment's chain.</summary>
    public string? ProviderChain { get; set; }
    public string? Model { get; set; }
}
