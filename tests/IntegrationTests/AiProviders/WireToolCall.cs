namespace SaasAssistants.IntegrationTests.AiProviders;

/// <summary>A tool call <see cref="ProviderWireServer"/> answers with: the call's id, the tool's name and its arguments as JSON.</summary>
public sealed record WireToolCall(string Id, string Name, string ArgumentsJson);
