using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Media;
using Xunit;

namespace SaasAssistants.UnitTests.Database;

public sealed class MediaFileNamesTests
{
    private static readonly Guid Id = Guid.Parse("01a2403a-20de-722c-b554-14220fa1955b");

    [Theory]
    [InlineData("image", "image/jpeg", null, "image-01a2403a-20de-722c-b554-14220fa1955b.jpg")]
    [InlineData("audio", "audio/ogg; codecs=opus", null, "audio-01a2403a-20de-722c-b554-14220fa1955b.ogg")]
    [InlineData("document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", null, "document-01a2403a-20de-722c-b554-14220fa1955b.docx")]
    [InlineData("document", "application/pdf", "Cardápio.pdf", "Cardápio.pdf")]
    [InlineData("document", "application/x-unheard-of", null, "document-01a2403a-20de-722c-b554-14220fa1955b")]
    [InlineData("sticker", null, null, "sticker-01a2403a-20de-722c-b554-14220fa1955b")]
    public void A_download_keeps_the_customer_s_name_or_gets_its_kind_id_and_extension(string kind, string? contentType, string? fileName, string expected) =>
        Assert.Equal(expected, MediaFileNames.DownloadName(new MessageMedia { Id = Id, Kind = kind, Source = "1003383421387256", ContentType = contentType, FileName = fileName }));
}
