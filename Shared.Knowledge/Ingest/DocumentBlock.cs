namespace SaasAssistants.Knowledge.Ingest;

/// <summary>
/// One structural piece of a document as a reader found it: a heading (with its level, 1 outermost), a paragraph, a list
/// item, a table row or a code block, with the page it is on when the format has pages.
/// </summary>
public sealed record DocumentBlock(BlockKind Kind, string Text, int HeadingLevel = 0, int? Page = null)
{
    public static DocumentBlock Heading(int level, string text, int? page = null) => new(BlockKind.Heading, text, level, page);

    public static DocumentBlock Paragraph(string text, int? page = null) => new(BlockKind.Paragraph, text, 0, page);
}
