using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace SaasAssistants.IntegrationTests.Knowledge;

/// <summary>Real files of every format, made with the same libraries that read them (PdfPig writes PDFs, the Open XML SDK writes .docx).</summary>
public static class KnowledgeDocuments
{
    public static byte[] DeliveryMarkdown() => Encoding.UTF8.GetBytes("""
        # Shipping policy

        ## Delivery

        We deliver across the city from Monday to Saturday. Orders placed before 2 pm arrive the same day.
        The delivery fee is USD 4.90, free for orders above USD 50.

        ## Returns

        - Unopened items can be returned within 30 days.
        - Refunds reach your card within 5 business days.
        """);

    public static byte[] HoursPortugueseText() => Encoding.UTF8.GetBytes("""
        Horário de funcionamento

        A loja abre de segunda a sexta, das 9h às 18h, e aos sábados das 9h às 13h. Não abrimos aos domingos nem feriados.

        O atendimento pelo WhatsApp responde em até duas horas durante o horário comercial.
        """);

    public static byte[] Pdf(params string[] pages)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var text in pages)
        {
            var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
            page.AddText(text, 12, new PdfPoint(40, 760), font);
        }
        return builder.Build();
    }

    public static byte[] Docx(params (string? Style, string Text)[] paragraphs)
    {
        using var stream = new MemoryStream();
        using (var word = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = word.AddMainDocumentPart();
            main.Document = new Document(new Body(paragraphs.Select(p => p.Style is null
                ? new Paragraph(new Run(new Text(p.Text)))
                : new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = p.Style }), new Run(new Text(p.Text))))));
        }
        return stream.ToArray();
    }
}
