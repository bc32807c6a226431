using Microsoft.Extensions.Options;
using SaasAssistants.Knowledge;
using SaasAssistants.Knowledge.Chunking;
using SaasAssistants.Knowledge.Ingest;
using Xunit;

namespace SaasAssistants.UnitTests.Knowledge;

public class StructuredChunkerTests
{
    private static StructuredChunker Chunker(int tokens = 40, int overlap = 8) =>
        new(Options.Create(new KnowledgeOptions { ChunkTokens = tokens, ChunkOverlapTokens = overlap }));

    [Fact]
    public void Headings_start_chunks_and_make_their_heading_path()
    {
        var document = new ParsedDocument([
            DocumentBlock.Heading(1, "Store"),
            DocumentBlock.Paragraph("We sell coffee."),
            DocumentBlock.Heading(2, "Hours"),
            DocumentBlock.Paragraph("Open daily."),
            DocumentBlock.Heading(2, "Delivery"),
            new DocumentBlock(BlockKind.ListItem, "Same day in town."),
            DocumentBlock.Heading(1, "Legal"),
            DocumentBlock.Paragraph("Terms apply."),
        ]);

        var chunks = Chunker().Chunk(document);

        Assert.Equal(["Store", "Store > Hours", "Store > Delivery", "Legal"], chunks.Select(c => c.HeadingPath));
        Assert.Equal(["We sell coffee.", "Open daily.", "- Same day in town.", "Terms apply."], chunks.Select(c => c.Text));
        Assert.Equal([0, 1, 2, 3], chunks.Select(c => c.Ordinal));
        Assert.Equal("Store > Delivery\n- Same day in town.", chunks[2].TextForEmbedding);
    }

    [Fact]
    public void Small_blocks_are_packed_together_up_to_the_budget()
    {
        var document = new ParsedDocument(Enumerable.Range(1, 6).Select(i => DocumentBlock.Paragraph($"Short paragraph number {i}.")).ToList());

        var chunks = Chunker(tokens: 200).Chunk(document);

        var chunk = Assert.Single(chunks);
        Assert.Equal(6, chunk.Text.Split('\n').Length);
    }

    [Fact]
    public void A_long_section_is_split_within_the_budget_with_overlap_between_its_chunks()
    {
        var sentences = Enumerable.Range(1, 30).Select(i => $"Sentence {i} tells something about the return policy.").ToList();
        var document = new ParsedDocument([DocumentBlock.Heading(1, "Returns"), DocumentBlock.Paragraph(string.Join(" ", sentences))]);

        var chunks = Chunker(tokens: 40, overlap: 12).Chunk(document);

        Assert.True(chunks.Count > 3);
        Assert.All(chunks, c => Assert.True(c.TokenCount <= 40 + 12, $"{c.TokenCount} tokens: {c.Text}"));
        Assert.All(chunks, c => Assert.Equal("Returns", c.HeadingPath));
        for (var i = 1; i < chunks.Count; i++)
        {
            var lastOfPrevious = chunks[i - 1].Text.Split('\n')[^1];
            Assert.StartsWith(lastOfPrevious, chunks[i].Text);
        }
        // Nothing is lost: every sentence is in some chunk.
        Assert.All(sentences, s => Assert.Contains(chunks, c => c.Text.Contains(s)));
    }

    [Fact]
    public void A_page_break_starts_a_chunk_that_cites_its_page()
    {
        var document = new ParsedDocument([DocumentBlock.Paragraph("First page text.", 1), DocumentBlock.Paragraph("Second page text.", 2)], 2);

        var chunks = Chunker(tokens: 200).Chunk(document);

        Assert.Equal([1, 2], chunks.Select(c => c.Page));
    }

    [Fact]
    public void A_single_sentence_longer_than_the_budget_is_cut_at_token_boundaries()
    {
        var words = string.Join(" ", Enumerable.Range(1, 300).Select(i => $"word{i}"));

        var chunks = Chunker(tokens: 50, overlap: 0).Chunk(new ParsedDocument([DocumentBlock.Paragraph(words)]));

        Assert.True(chunks.Count >= 6);
        Assert.All(chunks, c => Assert.InRange(c.TokenCount, 1, 50));
        Assert.Contains("word300", chunks[^1].Text);
    }
}
