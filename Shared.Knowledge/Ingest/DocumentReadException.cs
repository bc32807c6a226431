namespace SaasAssistants.Knowledge.Ingest;

/// <summary>The content is not a readable document of its format (corrupt, encrypted, not what its name says).</summary>
public sealed class DocumentReadException(string message, Exception? inner = null) : Exception(message, inner);
