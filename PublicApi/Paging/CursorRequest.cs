using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;

namespace SaasAssistants.PublicApi.Paging;

/// <summary>v2's page query: ?limit=20&amp;cursor=..., where cursor is the previous page's nextCursor.</summary>
public readonly record struct CursorRequest(
    [FromQuery(Name = "cursor")][property: Description("The nextCursor of the previous page; omitted for the first page.")] string? Cursor = null,
    [FromQuery(Name = "limit")][property: Description("Items per page, 1 to 100.")] int Limit = PageRequest.DefaultPageSize)
{
    /// <summary>Field errors keyed by query parameter name, or null when valid; <paramref name="position"/> is the decoded cursor.</summary>
    public Dictionary<string, string[]>? Validate(out PageCursor? position)
    {
        var errors = new Dictionary<string, string[]>();
        position = null;
        if (Limit is < 1 or > PageRequest.MaxPageSize)
        {
            errors["limit"] = [$"limit must be between 1 and {PageRequest.MaxPageSize}."];
        }

        if (!string.IsNullOrEmpty(Cursor))
        {
            if (PageCursor.TryParse(Cursor, out var parsed))
            {
                position = parsed;
            }
            else
            {
                errors["cursor"] = ["cursor is not one this API issued; pass a page's nextCursor unchanged."];
            }
        }
        return errors.Count == 0 ? null : errors;
    }
}
