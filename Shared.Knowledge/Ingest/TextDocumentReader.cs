using System.Text;
using System.Text.RegularExpressions;
using SaasAssistants.Database.Knowledge;

namespace SaasAssistants.Knowledge.Ingest;

/// <summary>Plain text: paragraphs are separated by blank lines; lines starting with "-", "*" or "1." are list items.</summary>
public sealed partial class TextDocumentReader : IDocumentReader
{
    public KnowledgeDocumentFormat Format => KnowledgeDocumentFormat.Txt;

    public ParsedDocument Read(byte[] content) => new(Split(Utf8.Decode(content)));

    internal static List<DocumentBlock> Split(string text)
    {
        var blocks = new List<DocumentBlock>();
        foreach (var paragraph in BlankLines().Split(text.Replace("\r\n", "\n")))
        {
            var lines = paragraph.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (lines.Length > 0 && lines.All(l => ListMarker().IsMatch(l)))
            {
                blocks.AddRange(lines.Select(l => new DocumentBlock(BlockKind.ListItem, BlockText.Normalize(ListMarker().Replace(l, "")))));
            }
            else if (BlockText.Normalize(paragraph) is { Length: > 0 } normalized)
            {
                blocks.Add(DocumentBlock.Paragraph(normalized));
            }
        }
        return blocks;
    }

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex BlankLines();

    [GeneratedRegex(@"^([-*•]|\d{1,3}[.)])\s+")]
    private static partial Regex ListMarker();
}

/// <summary>UTF-8 with or without a byte order mark; invalid sequences are a read error, not replacement characters.</summary>
internal static class Utf8
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Decode(byte[] content)
    {
        try
        {
            var text = Strict.GetString(content);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException ex)
        {
            throw new DocumentReadException("The file is not UTF-8 text.", ex);
        }
    }
}
