namespace SaasAssistants.WebApp.Contacts;

/// <summary>The contact form's fields as posted; tags are one comma-separated field.</summary>
public sealed record ContactEdit(string? DisplayName, string? Email, string? Phone, string? Notes, string? Tags)
{
    public const int MaxNameLength = 200;
    public const int MaxNotesLength = 4000;
    public const int MaxTags = 20;
    public const int MaxTagLength = 40;

    public IReadOnlyList<string> TagList => (Tags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}
