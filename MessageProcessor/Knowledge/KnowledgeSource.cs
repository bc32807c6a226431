namespace SaasAssistants.MessageProcessor.Knowledge;

/// <summary>
/// Where a passage comes from: the document's name, the path of headings above the passage, the page (PDF), and the
/// address of a fetched web page. <see cref="Citation"/> is how a reply names it.
/// </summary>
public sealed record KnowledgeSource(string DocumentName, string HeadingPath = "", int? Page = null, string? Url = null)
{
    /// <summary>"entrega.md › Entrega > Frete (p. 2)": short enough to end a chat message with.</summary>
    public string Citation =>
        DocumentName + (HeadingPath.Length > 0 ? $" › {HeadingPath}" : "") + (Page is { } page ? $" (p. {page})" : "");

    public override string ToString() => Citation;
}
