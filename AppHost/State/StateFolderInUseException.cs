namespace SaasAssistants.AppHost.State;

/// <summary>The state folder is another running AppHost's: a message for the person who started this one, not a crash.</summary>
public sealed class StateFolderInUseException(string message) : Exception(message);
