using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using SaasAssistants.Knowledge.Ingest;

namespace SaasAssistants.Knowledge.Chunking;

/// <summary>
/// Cuts a document into chunks along its structure: a heading always starts a new chunk (and becomes part of the
/// heading path of the chunks below it), paragraphs, list items and table rows are kept whole and packed together up
/// to the token budget, and only a block longer than the budget is split, at sentence ends and failing that at token
/// boundaries. When a section runs over several chunks, each repeats the last tokens of the one before (the overlap),
/// so a sentence cut at the boundary is still found whole. A page break also starts a new chunk, so that each chunk
/// cites one page. Sizes are in cl100k tokens (Microsoft.ML.Tokenizers).
/// </summary>
public sealed partial class StructuredChunker(IOptions<KnowledgeOptions> options)
{
    public const string HeadingSeparator = " > ";

    private static readonly Lazy<Tokenizer> SharedTokenizer = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    public static Tokenizer Tokenizer => SharedTokenizer.Value;

    public IReadOnlyList<TextChunk> Chunk(ParsedDocument document)
    {
        var max = Math.Max(16, options.Value.ChunkTokens);
        var overlap = Math.Clamp(options.Value.ChunkOverlapTokens, 0, max / 2);
        var chunks = new List<TextChunk>();
        var headings = new List<(int Level, string Text)>();
        var units = new List<Unit>();
        var tokens = 0;
        string path = "";
        int? page = null;

        void Flush(bool keepOverlap)
        {
            if (units.All(u => u.IsOverlap))
            {
                units.Clear();
                tokens = 0;
                return;
            }
            var text = string.Join("\n", units.Select(u => u.Text));
            chunks.Add(new TextChunk(chunks.Count, path, page, text, Count(text)));
            var carried = keepOverlap && overlap > 0 ? Tail(units, overlap) : [];
            units.Clear();
            units.AddRange(carried);
            tokens = carried.Sum(u => u.Tokens);
        }

        foreach (var block in document.Blocks)
        {
            if (block.Kind == BlockKind.Heading)
            {
                Flush(keepOverlap: false);
                headings.RemoveAll(h => h.Level >= block.HeadingLevel);
                headings.Add((block.HeadingLevel, block.Text));
                continue;
            }
            // A chunk cites one page: a new page starts a new chunk, as a heading does.
            if (block.Page != page && units.Any(u => !u.IsOverlap))
            {
                Flush(keepOverlap: false);
            }

            var text = block.Kind == BlockKind.ListItem ? "- " + block.Text : block.Text;
            foreach (var piece in Pieces(text, max))
            {
                var count = Count(piece);
                if (tokens + count > max && units.Any(u => !u.IsOverlap))
                {
                    Flush(keepOverlap: true);
                }

                if (units.All(u => u.IsOverlap))
                {
                    path = string.Join(HeadingSeparator, headings.Select(h => h.Text));
                    page = block.Page;
                }
                units.Add(new Unit(piece, count, IsOverlap: false));
                tokens += count;
            }
        }
        Flush(keepOverlap: false);
        return chunks;
    }

    public static int Count(string text) => Tokenizer.CountTokens(text);

    /// <summary>A block as it is if it fits; else its sentences, and a sentence that alone is too long in token windows.</summary>
    private static IEnumerable<string> Pieces(string text, int max)
    {
        if (Count(text) <= max)
        {
            yield return text;
            yield break;
        }
        foreach (var sentence in SentenceEnd().Split(text))
        {
            var rest = sentence.Trim();
            while (rest.Length > 0)
            {
                if (Count(rest) <= max)
                {
                    yield return rest;
                    break;
                }
                var cut = Tokenizer.GetIndexByTokenCount(rest, max, out _, out _);
                if (cut <= 0)
                {
                    cut = Math.Min(rest.Length, max);
                }

                yield return rest[..cut].Trim();
                rest = rest[cut..].Trim();
            }
        }
    }

    /// <summary>The last units of a chunk that fit in the overlap; when the last alone is larger, its last tokens.</summary>
    private static List<Unit> Tail(List<Unit> units, int overlap)
    {
        var tail = new List<Unit>();
        var total = 0;
        for (var i = units.Count - 1; i >= 0 && !units[i].IsOverlap; i--)
        {
            if (total + units[i].Tokens > overlap)
            {
                if (tail.Count == 0)
                {
                    var start = Tokenizer.GetIndexByTokenCountFromEnd(units[i].Text, overlap, out _, out _);
                    var end = units[i].Text[start..].Trim();
                    if (end.Length > 0)
                    {
                        tail.Add(new Unit(end, Count(end), IsOverlap: true));
                    }
                }
                break;
            }
            tail.Insert(0, units[i] with { IsOverlap = true });
            total += units[i].Tokens;
        }
        return tail;
    }

    private sealed record Unit(string Text, int Tokens, bool IsOverlap);

    [GeneratedRegex(@"(?<=[.!?…])\s+")]
    private static partial Regex SentenceEnd();
}
