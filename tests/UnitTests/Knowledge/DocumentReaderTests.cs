using System.Text;
using SaasAssistants.Knowledge.Ingest;
using Xunit;

namespace SaasAssistants.UnitTests.Knowledge;

public class DocumentReaderTests
{
    [Fact]
    public void Markdown_gives_headings_paragraphs_list_items_and_table_rows()
    {
        var markdown = """
            # Prices

            Our **menu** prices:

            | Item | Price |
            |------|-------|
            | Espresso | R$ 6 |

            - Cash
            - Pix
            """;

        var blocks = new MarkdownDocumentReader().Read(Encoding.UTF8.GetBytes(markdown)).Blocks;

        Assert.Equal(
            [(BlockKind.Heading, "Prices"), (BlockKind.Paragraph, "Our menu prices:"), (BlockKind.Table, "Item | Price"),
             (BlockKind.Table, "Espresso | R$ 6"), (BlockKind.ListItem, "Cash"), (BlockKind.ListItem, "Pix")],
            blocks.Select(b => (b.Kind, b.Text)));
        Assert.Equal(1, blocks[0].HeadingLevel);
    }

    [Fact]
    public void Html_keeps_structure_and_leaves_out_scripts_styles_and_navigation()
    {
        var html = "<html><head><style>p{}</style></head><body><nav>Menu</nav><h2>About</h2><div>Family owned <b>since 1990</b>.</div>"
            + "<ul><li>Fresh bread</li></ul><script>alert(1)</script><table><tr><td>Mon</td><td>8-18</td></tr></table></body></html>";

        var blocks = new HtmlDocumentReader().Read(Encoding.UTF8.GetBytes(html)).Blocks;

        Assert.Equal(
            [(BlockKind.Heading, "About"), (BlockKind.Paragraph, "Family owned"), (BlockKind.Paragraph, "since 1990"),
             (BlockKind.Paragraph, "."), (BlockKind.ListItem, "Fresh bread"), (BlockKind.Table, "Mon | 8-18")],
            blocks.Select(b => (b.Kind, b.Text)));
    }

    [Fact]
    public void Plain_text_splits_paragraphs_at_blank_lines_and_reads_list_markers()
    {
        var text = "Welcome to the shop.\nWe are open.\n\n- Coffee\n- Tea\n\n\n1. First\n2. Second";

        var blocks = new TextDocumentReader().Read(Encoding.UTF8.GetBytes(text)).Blocks;

        Assert.Equal(
            [(BlockKind.Paragraph, "Welcome to the shop. We are open."), (BlockKind.ListItem, "Coffee"), (BlockKind.ListItem, "Tea"),
             (BlockKind.ListItem, "First"), (BlockKind.ListItem, "Second")],
            blocks.Select(b => (b.Kind, b.Text)));
    }

    [Fact]
    public void Text_that_is_not_utf8_is_a_read_error()
    {
        Assert.Throws<DocumentReadException>(() => new TextDocumentReader().Read([0xC3, 0x28, 0xA0, 0xA1]));
    }

    [Theory]
    [InlineData("Nosso horário de atendimento é de segunda a sexta, das 9h às 18h.", "pt")]
    [InlineData("Our opening hours are Monday to Friday, from 9 am to 6 pm.", "en")]
    [InlineData("12345 67890", null)]
    public void The_language_of_a_document_is_detected_from_common_words(string text, string? language)
    {
        Assert.Equal(language, DocumentLanguage.Detect(text));
    }
}
