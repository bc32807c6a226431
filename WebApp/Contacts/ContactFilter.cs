namespace SaasAssistants.WebApp.Contacts;

/// <summary>The contact list's query string: a search over name, channel id, email and phone, and the page.</summary>
public sealed record ContactFilter(string? Search, int Page)
{
    public const int PageSize = 25;

    public static ContactFilter From(string? search, int? page)
        => new(string.IsNullOrWhiteSpace(search) ? null : search.Trim(), page is > 0 and < 100_000 ? page.Value : 1);

    public string PageLink(int page)
        => Search is null ? $"/contacts?page={page}" : $"/contacts?q={Uri.EscapeDataString(Search)}&page={page}";
}
