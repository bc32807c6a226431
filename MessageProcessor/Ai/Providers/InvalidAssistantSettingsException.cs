namespace SaasAssistants.MessageProcessor.Ai.Providers;

/// <summary>An assistant's <c>provider_settings</c> cannot be read as <see cref="AssistantProviderSettings"/>.</summary>
public sealed class InvalidAssistantSettingsException(string message, Exception? inner = null) : FormatException(message, inner);
