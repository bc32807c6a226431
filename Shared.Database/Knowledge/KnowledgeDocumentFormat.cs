namespace SaasAssistants.Database.Knowledge;

/// <summary>The formats a document can be read from; stored in lower case. A web page is stored as Html with its URL.</summary>
public enum KnowledgeDocumentFormat
{
    Txt,
    Md,
    Html,
    Pdf,
    Docx,
}
