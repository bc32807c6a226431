using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using SaasAssistants.Database.Knowledge;

namespace SaasAssistants.Knowledge.Ingest;

/// <summary>Markdown through Markdig: headings, paragraphs, list items, tables (row by row) and code blocks.</summary>
public sealed class MarkdownDocumentReader : IDocumentReader
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseGridTables().Build();

    public KnowledgeDocumentFormat Format => KnowledgeDocumentFormat.Md;

    public ParsedDocument Read(byte[] content)
    {
        var document = Markdown.Parse(Utf8.Decode(content), Pipeline);
        var blocks = new List<DocumentBlock>();
        foreach (var block in document)
        {
            Collect(block, blocks);
        }

        return new ParsedDocument(blocks);
    }

    private static void Collect(Block block, List<DocumentBlock> blocks)
    {
        switch (block)
        {
            case HeadingBlock heading:
                Add(blocks, BlockKind.Heading, InlineText(heading.Inline), heading.Level);
                break;
            case Table table:
                foreach (var row in table.OfType<TableRow>())
                {
                    Add(blocks, BlockKind.Table, string.Join(" | ", row.OfType<TableCell>().Select(CellText)));
                }

                break;
            case ListBlock list:
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    Add(blocks, BlockKind.ListItem, string.Join(" ", item.Select(ContainedText)));
                }

                break;
            case CodeBlock code:
                Add(blocks, BlockKind.Code, code.Lines.ToString());
                break;
            case ParagraphBlock paragraph:
                Add(blocks, BlockKind.Paragraph, InlineText(paragraph.Inline));
                break;
            case ContainerBlock container:
                foreach (var child in container)
                {
                    Collect(child, blocks);
                }

                break;
        }
    }

    private static string CellText(TableCell cell) => string.Join(" ", cell.Select(ContainedText));

    /// <summary>The text of a block and everything inside it (a list item holds paragraphs and nested lists).</summary>
    private static string ContainedText(Block block) => block switch
    {
        LeafBlock { Inline: { } inline } => InlineText(inline),
        LeafBlock leaf => leaf.Lines.ToString(),
        ContainerBlock container => string.Join(" ", container.Select(ContainedText)),
        _ => "",
    };

    private static string InlineText(ContainerInline? inline)
    {
        if (inline is null)
        {
            return "";
        }

        var text = new System.Text.StringBuilder();
        foreach (var item in inline.Descendants())
        {
            switch (item)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case LineBreakInline:
                    text.Append(' ');
                    break;
            }
        }
        return text.ToString();
    }

    private static void Add(List<DocumentBlock> blocks, BlockKind kind, string text, int level = 0)
    {
        var normalized = kind == BlockKind.Code ? text.Trim() : BlockText.Normalize(text);
        if (normalized.Length > 0)
        {
            blocks.Add(new DocumentBlock(kind, normalized, level));
        }
    }
}
