using System.Text.Json.Serialization;

namespace SaasAssistants.PublicApi.Paging;

/// <summary>One page of a v2 list.</summary>
/// <param name="Data">The items, in the list's order.</param>
/// <param name="NextCursor">Pass as ?cursor= for the next page; null on the last page.</param>
public sealed record CursorPage<T>(
    IReadOnlyList<T> Data,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor)
{
    /// <summary>From <paramref name="limit"/> + 1 rows read: the extra row only tells that another page exists.</summary>
    public static CursorPage<T> From(IReadOnlyList<T> rows, int limit, Func<T, PageCursor> position)
        => rows.Count > limit
            ? new CursorPage<T>(rows.Take(limit).ToArray(), position(rows[limit - 1]).ToString())
            : new CursorPage<T>(rows, null);
}
