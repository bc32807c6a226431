namespace SaasAssistants.Knowledge.Ingest;

/// <summary>The structural role of a block of a document, which decides where chunks may be cut.</summary>
public enum BlockKind
{
    Heading,
    Paragraph,
    ListItem,
    Table,
    Code,
}
