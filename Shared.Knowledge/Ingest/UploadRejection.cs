namespace SaasAssistants.Knowledge.Ingest;

/// <summary>Why an upload was refused: a stable code, the HTTP status that fits it, and a sentence for the person who sent it.</summary>
public sealed record UploadRejection(string Code, int Status, string Detail)
{
    public static UploadRejection InvalidLanguage() => new("invalid_language", 400, "language must be pt or en (or left out to detect it).");

    public static UploadRejection NoFile() => new("file_required", 400, "The form has no field 'file' (nor 'url').");

    public static UploadRejection NotFetched(string reason) => new("url_not_fetched", 422, reason);

    public static UploadRejection Empty() => new("empty_file", 400, "The file is empty.");

    public static UploadRejection TooLarge(long limit) =>
        new("file_too_large", 413, $"The file is larger than the limit of {limit / (1024 * 1024.0):0.#} MB.");

    public static UploadRejection Unsupported(string? name) =>
        new("unsupported_type", 415, $"'{name}' is not a supported type: send .txt, .md, .html, .pdf or .docx.");

    public static UploadRejection Binary(string format) =>
        new("binary_content", 422, $"The file is named as {format} but holds binary data, not text.");

    public static UploadRejection NotWhatItSays(string format) =>
        new("content_mismatch", 422, $"The file's content is not a {format} document.");

    public static UploadRejection Unreadable(string reason) => new("unreadable_document", 422, reason);

    public static UploadRejection NoText() =>
        new("no_text", 422, "No text could be read from the document (a scanned PDF needs text recognition first).");
}
