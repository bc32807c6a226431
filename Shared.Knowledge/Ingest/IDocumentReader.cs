using SaasAssistants.Database.Knowledge;

namespace SaasAssistants.Knowledge.Ingest;

/// <summary>Reads one format into structural blocks. Throws <see cref="DocumentReadException"/> for content it cannot read.</summary>
public interface IDocumentReader
{
    KnowledgeDocumentFormat Format { get; }

    ParsedDocument Read(byte[] content);
}
