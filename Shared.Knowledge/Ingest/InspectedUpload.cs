using SaasAssistants.Database.Knowledge;

namespace SaasAssistants.Knowledge.Ingest;

/// <summary>An upload that passed every check: its format, checksum and what was read from it.</summary>
public sealed record InspectedUpload(KnowledgeDocumentFormat Format, string Checksum, ParsedDocument Parsed);
