namespace SaasAssistants.Knowledge.Ingest;

/// <summary>A web page as fetched: a name for it (its title or URL), its media type and bytes.</summary>
public sealed record FetchedPage(Uri Url, string Name, string? MediaType, byte[] Content);
