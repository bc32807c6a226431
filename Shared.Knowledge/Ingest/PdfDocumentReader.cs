using SaasAssistants.Database.Knowledge;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace SaasAssistants.Knowledge.Ingest;

/// <summary>
/// PDF through PdfPig, page by page: text in reading order, split into paragraphs at blank lines, each with its page.
/// PDFs carry no reliable heading structure, so a page's chunks have only its page as their source.
/// </summary>
public sealed class PdfDocumentReader : IDocumentReader
{
    public KnowledgeDocumentFormat Format => KnowledgeDocumentFormat.Pdf;

    public ParsedDocument Read(byte[] content)
    {
        try
        {
            using var pdf = PdfDocument.Open(content);
            var blocks = new List<DocumentBlock>();
            foreach (var page in pdf.GetPages())
            {
                var text = ContentOrderTextExtractor.GetText(page);
                foreach (var block in TextDocumentReader.Split(text))
                {
                    blocks.Add(block with { Page = page.Number });
                }
            }
            return new ParsedDocument(blocks, pdf.NumberOfPages);
        }
        catch (Exception ex) when (ex is not DocumentReadException)
        {
            throw new DocumentReadException($"The PDF could not be read ({ex.Message}).", ex);
        }
    }
}
