using SaasAssistants.Database.Knowledge;

namespace SaasAssistants.Knowledge.Ingest;

/// <summary>The reader for each format.</summary>
public sealed class DocumentReaders(IEnumerable<IDocumentReader> readers)
{
    private readonly Dictionary<KnowledgeDocumentFormat, IDocumentReader> _byFormat = readers.ToDictionary(r => r.Format);

    public ParsedDocument Read(KnowledgeDocumentFormat format, byte[] content) =>
        _byFormat.TryGetValue(format, out var reader)
            ? reader.Read(content)
            : throw new DocumentReadException($"No reader for the format '{format}'.");
}
