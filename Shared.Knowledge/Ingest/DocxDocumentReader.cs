using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using SaasAssistants.Database.Knowledge;

namespace SaasAssistants.Knowledge.Ingest;

/// <summary>
/// Word documents through the Open XML SDK: paragraphs styled Title or Heading N become headings, numbered or bulleted
/// paragraphs list items, table rows one block each.
/// </summary>
public sealed class DocxDocumentReader : IDocumentReader
{
    public KnowledgeDocumentFormat Format => KnowledgeDocumentFormat.Docx;

    public ParsedDocument Read(byte[] content)
    {
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            using var word = WordprocessingDocument.Open(stream, isEditable: false);
            var body = word.MainDocumentPart?.Document?.Body ?? throw new DocumentReadException("The Word document has no body.");
            var styles = StyleNames(word.MainDocumentPart);
            var blocks = new List<DocumentBlock>();
            foreach (var element in body.ChildElements)
            {
                if (element is Paragraph paragraph)
                {
                    AddParagraph(paragraph, styles, blocks);
                }
                else if (element is Table table)
                {
                    foreach (var row in table.Elements<TableRow>())
                    {
                        var cells = row.Elements<TableCell>().Select(c => BlockText.Normalize(c.InnerText));
                        if (BlockText.Normalize(string.Join(" | ", cells)) is { Length: > 0 } text)
                        {
                            blocks.Add(new DocumentBlock(BlockKind.Table, text));
                        }
                    }
                }
            }
            return new ParsedDocument(blocks);
        }
        catch (Exception ex) when (ex is not DocumentReadException)
        {
            throw new DocumentReadException($"The Word document could not be read ({ex.Message}).", ex);
        }
    }

    private static void AddParagraph(Paragraph paragraph, Dictionary<string, string> styles, List<DocumentBlock> blocks)
    {
        var text = BlockText.Normalize(paragraph.InnerText);
        if (text.Length == 0)
        {
            return;
        }

        var properties = paragraph.ParagraphProperties;
        var styleId = properties?.ParagraphStyleId?.Val?.Value;
        var styleName = styleId is null ? null : styles.GetValueOrDefault(styleId, styleId);
        if (HeadingLevel(styleName) is { } level)
        {
            blocks.Add(DocumentBlock.Heading(level, text));
        }
        else if (properties?.NumberingProperties is not null || styleName?.StartsWith("List", StringComparison.OrdinalIgnoreCase) == true)
        {
            blocks.Add(new DocumentBlock(BlockKind.ListItem, text));
        }
        else
        {
            blocks.Add(DocumentBlock.Paragraph(text));
        }
    }

    /// <summary>"Title" is level 1 and "Heading N" (by style name, which is stable where ids are localised) is N.</summary>
    private static int? HeadingLevel(string? styleName)
    {
        if (styleName is null)
        {
            return null;
        }

        var name = styleName.Replace(" ", "", StringComparison.Ordinal);
        if (name.Equals("Title", StringComparison.OrdinalIgnoreCase))
        {
            return 1;
        }

        return name.StartsWith("heading", StringComparison.OrdinalIgnoreCase) && int.TryParse(name.AsSpan(7), out var level) && level is >= 1 and <= 9
            ? level
            : null;
    }

    private static Dictionary<string, string> StyleNames(MainDocumentPart part)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var styles = part.StyleDefinitionsPart?.Styles;
        if (styles is null)
        {
            return names;
        }

        foreach (var style in styles.Elements<Style>())
        {
            if (style.StyleId?.Value is { } id && style.StyleName?.Val?.Value is { } name)
            {
                names[id] = name;
            }
        }
        return names;
    }
}
