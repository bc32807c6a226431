namespace SaasAssistants.Knowledge.Ingest;

/// <summary>A web page could not be fetched; the message says why, for the person who asked.</summary>
public sealed class WebPageFetchException(string message, Exception? inner = null) : Exception(message, inner);
