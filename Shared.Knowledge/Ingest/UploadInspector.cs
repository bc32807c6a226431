using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SaasAssistants.Database.Knowledge;

namespace SaasAssistants.Knowledge.Ingest;

/// <summary>
/// Decides whether an upload can become a document, before anything is stored: size, type (by name, else by declared
/// content type), whether the bytes are what the type says (a PDF's signature, a .docx's zip, text that is UTF-8
/// without binary), and that the reader finds text in it. Reading it here means a corrupt file is a 422 now, not a
/// failed task later.
/// </summary>
public sealed class UploadInspector(DocumentReaders readers, IOptions<KnowledgeOptions> options)
{
    private static readonly Dictionary<string, KnowledgeDocumentFormat> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".txt"] = KnowledgeDocumentFormat.Txt, [".text"] = KnowledgeDocumentFormat.Txt,
        [".md"] = KnowledgeDocumentFormat.Md, [".markdown"] = KnowledgeDocumentFormat.Md,
        [".html"] = KnowledgeDocumentFormat.Html, [".htm"] = KnowledgeDocumentFormat.Html,
        [".pdf"] = KnowledgeDocumentFormat.Pdf,
        [".docx"] = KnowledgeDocumentFormat.Docx,
    };

    private static readonly Dictionary<string, KnowledgeDocumentFormat> ByMediaType = new(StringComparer.OrdinalIgnoreCase)
    {
        ["text/plain"] = KnowledgeDocumentFormat.Txt,
        ["text/markdown"] = KnowledgeDocumentFormat.Md,
        ["text/html"] = KnowledgeDocumentFormat.Html,
        ["application/pdf"] = KnowledgeDocumentFormat.Pdf,
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] = KnowledgeDocumentFormat.Docx,
    };

    public long MaxBytes => options.Value.MaxDocumentBytes;

    /// <summary>The format a file name or media type stands for; null when neither is one we read.</summary>
    public static KnowledgeDocumentFormat? FormatOf(string? fileName, string? mediaType)
    {
        if (Path.GetExtension(fileName) is { Length: > 0 } extension && ByExtension.TryGetValue(extension, out var byName))
        {
            return byName;
        }

        var media = mediaType?.Split(';')[0].Trim();
        return media is not null && ByMediaType.TryGetValue(media, out var byMedia) ? byMedia : null;
    }

    /// <summary>The upload, ready to store; or why not.</summary>
    public (InspectedUpload? Upload, UploadRejection? Rejection) Inspect(string? fileName, string? mediaType, byte[] content)
    {
        var rejection = Check(fileName, mediaType, content, out var format, out var parsed);
        return rejection is null ? (new InspectedUpload(format, Checksum(content), parsed!), null) : (null, rejection);
    }

    public static string Checksum(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private UploadRejection? Check(string? fileName, string? mediaType, byte[] content, out KnowledgeDocumentFormat format, out ParsedDocument? parsed)
    {
        format = default;
        parsed = null;
        if (content.Length == 0)
        {
            return UploadRejection.Empty();
        }

        if (content.Length > MaxBytes)
        {
            return UploadRejection.TooLarge(MaxBytes);
        }

        if (FormatOf(fileName, mediaType) is not { } known)
        {
            return UploadRejection.Unsupported(fileName ?? mediaType);
        }

        format = known;
        var name = known.ToString().ToLowerInvariant();
        switch (known)
        {
            case KnowledgeDocumentFormat.Pdf when !content.AsSpan().StartsWith("%PDF-"u8):
            case KnowledgeDocumentFormat.Docx when !content.AsSpan().StartsWith("PK\x03\x04"u8):
                return UploadRejection.NotWhatItSays(name);
            case KnowledgeDocumentFormat.Txt or KnowledgeDocumentFormat.Md or KnowledgeDocumentFormat.Html when LooksBinary(content):
                return UploadRejection.Binary(name);
        }

        try
        {
            parsed = readers.Read(known, content);
        }
        catch (DocumentReadException ex)
        {
            return known is KnowledgeDocumentFormat.Txt or KnowledgeDocumentFormat.Md or KnowledgeDocumentFormat.Html
                ? UploadRejection.Binary(name)
                : UploadRejection.Unreadable(ex.Message);
        }
        if (!parsed.HasText)
        {
            return known is KnowledgeDocumentFormat.Pdf ? UploadRejection.NoText() : UploadRejection.Empty();
        }

        return null;
    }

    /// <summary>
    /// Text has no NUL bytes and almost no other control characters; an image or archive renamed .txt has many.
    /// Looks at the first 8 KB, as file(1) and git do.
    /// </summary>
    internal static bool LooksBinary(byte[] content)
    {
        var sample = content.AsSpan(0, Math.Min(content.Length, 8192));
        var control = 0;
        foreach (var b in sample)
        {
            if (b == 0)
            {
                return true;
            }

            if (b < 0x20 && b is not ((byte)'\n' or (byte)'\r' or (byte)'\t' or 0x0C))
            {
                control++;
            }
        }
        return control > sample.Length / 100;
    }
}
