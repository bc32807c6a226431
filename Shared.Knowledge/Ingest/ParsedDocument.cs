namespace SaasAssistants.Knowledge.Ingest;

/// <summary>A document read into blocks; <see cref="PageCount"/> is null for formats without pages.</summary>
public sealed record ParsedDocument(IReadOnlyList<DocumentBlock> Blocks, int? PageCount = null)
{
    public bool HasText => Blocks.Any(b => !string.IsNullOrWhiteSpace(b.Text));
}
