using Microsoft.Extensions.Options;
using SaasAssistants.Database.Knowledge;
using SaasAssistants.Knowledge;
using SaasAssistants.Knowledge.Ingest;
using Xunit;

namespace SaasAssistants.UnitTests.Knowledge;

public class UploadInspectorTests
{
    private static readonly UploadInspector Inspector = new(
        new DocumentReaders([new TextDocumentReader(), new MarkdownDocumentReader(), new HtmlDocumentReader(), new PdfDocumentReader(), new DocxDocumentReader()]),
        Options.Create(new KnowledgeOptions { MaxDocumentBytes = 1024 }));

    [Theory]
    [InlineData("notes.TXT", null, KnowledgeDocumentFormat.Txt)]
    [InlineData("readme.markdown", null, KnowledgeDocumentFormat.Md)]
    [InlineData("page.htm", "application/octet-stream", KnowledgeDocumentFormat.Html)]
    [InlineData("https://shop.example/faq", "text/html; charset=utf-8", KnowledgeDocumentFormat.Html)]
    [InlineData(null, "application/pdf", KnowledgeDocumentFormat.Pdf)]
    [InlineData("a.docx", null, KnowledgeDocumentFormat.Docx)]
    public void The_format_comes_from_the_name_else_the_media_type(string? name, string? mediaType, KnowledgeDocumentFormat format)
    {
        Assert.Equal(format, UploadInspector.FormatOf(name, mediaType));
    }

    [Fact]
    public void A_good_text_file_passes_with_its_checksum()
    {
        var content = "Hello, we open at nine."u8.ToArray();

        var (upload, rejection) = Inspector.Inspect("hello.txt", "text/plain", content);

        Assert.Null(rejection);
        Assert.Equal(KnowledgeDocumentFormat.Txt, upload!.Format);
        Assert.Equal(UploadInspector.Checksum(content), upload.Checksum);
        Assert.Equal(64, upload.Checksum.Length);
    }

    [Fact]
    public void A_file_over_the_limit_is_too_large()
    {
        var (_, rejection) = Inspector.Inspect("big.txt", null, new byte[1025]);

        Assert.Equal(("file_too_large", 413), (rejection!.Code, rejection.Status));
    }

    [Fact]
    public void Control_characters_make_a_text_file_binary()
    {
        var content = Enumerable.Repeat((byte)'a', 200).Concat(Enumerable.Repeat((byte)0x01, 10)).ToArray();

        Assert.True(UploadInspector.LooksBinary(content));
        Assert.False(UploadInspector.LooksBinary("Linha 1\r\nLinha 2\tcom tab\n"u8.ToArray()));
        Assert.Equal("binary_content", Inspector.Inspect("x.md", null, content).Rejection!.Code);
    }
}
