using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using SaasAssistants.Database.Knowledge;

namespace SaasAssistants.Knowledge.Ingest;

/// <summary>
/// HTML through AngleSharp (the browser's parsing rules, so broken markup reads as a browser shows it): headings,
/// paragraphs, list items, table rows, preformatted text; scripts, styles and navigation are left out.
/// </summary>
public sealed class HtmlDocumentReader : IDocumentReader
{
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "svg", "nav", "iframe", "form", "button", "select", "head",
    };

    private static readonly HashSet<string> Leaves = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "li", "pre", "blockquote", "dt", "dd", "figcaption", "caption", "address", "summary",
    };

    public KnowledgeDocumentFormat Format => KnowledgeDocumentFormat.Html;

    public ParsedDocument Read(byte[] content)
    {
        var document = new HtmlParser().ParseDocument(Utf8.Decode(content));
        var blocks = new List<DocumentBlock>();
        if (document.Body is { } body)
        {
            Walk(body, blocks);
        }

        return new ParsedDocument(blocks);
    }

    private static void Walk(INode node, List<DocumentBlock> blocks)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child is IText text)
            {
                Add(blocks, BlockKind.Paragraph, text.Data);
                continue;
            }
            if (child is not IElement element || Skipped.Contains(element.LocalName))
            {
                continue;
            }

            var name = element.LocalName;
            if (name.Length == 2 && name[0] == 'h' && name[1] is >= '1' and <= '6')
            {
                Add(blocks, BlockKind.Heading, element.TextContent, name[1] - '0');
            }
            else if (name == "tr")
            {
                Add(blocks, BlockKind.Table, string.Join(" | ", element.Children.Select(cell => BlockText.Normalize(cell.TextContent))));
            }
            else if (name == "li")
            {
                Add(blocks, BlockKind.ListItem, element.TextContent);
            }
            else if (name == "pre")
            {
                Add(blocks, BlockKind.Code, element.TextContent);
            }
            else if (Leaves.Contains(name))
            {
                Add(blocks, BlockKind.Paragraph, element.TextContent);
            }
            else
            {
                Walk(element, blocks);
            }
        }
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
