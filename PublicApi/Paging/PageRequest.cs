using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;

namespace SaasAssistants.PublicApi.Paging;

/// <summary>The page query of every list endpoint: ?page=1&amp;pageSize=20, at most <see cref="MaxPageSize"/> items.</summary>
public readonly record struct PageRequest(
    [FromQuery(Name = "page")][property: Description("1-based page number.")] int Page = 1,
    [FromQuery(Name = "pageSize")][property: Description("Items per page, 1 to 100.")] int PageSize = PageRequest.DefaultPageSize)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>Field errors keyed by query parameter name, or null when the request is valid.</summary>
    public Dictionary<string, string[]>? Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Page < 1)
        {
            errors["page"] = ["page must be 1 or greater."];
        }

        if (PageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        }

        return errors.Count == 0 ? null : errors;
    }

    /// <summary>Rows to skip; a long, because page * pageSize can exceed int for absurd page numbers.</summary>
    public long Offset => (long)(Page - 1) * PageSize;
}
