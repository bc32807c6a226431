using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace SaasAssistants.PublicApi.Paging;

public static class PagingExtensions
{
    public const string TotalCountHeader = "X-Total-Count";

    /// <summary>
    /// One page of an ordered query, projected; the query's total count goes to the X-Total-Count header.
    /// The count runs on the unprojected query so that it needs none of the projection's joins.
    /// </summary>
    public static async Task<TResult[]> ToPageAsync<TSource, TResult>(
        this IOrderedQueryable<TSource> query, Expression<Func<TSource, TResult>> projection,
        PageRequest page, HttpResponse response, CancellationToken cancellationToken)
    {
        var total = await query.CountAsync(cancellationToken);
        response.Headers[TotalCountHeader] = total.ToString(CultureInfo.InvariantCulture);
        // Past the end there is nothing to read (and the offset may not fit Skip's int).
        if (page.Offset >= total)
        {
            return [];
        }

        return await query.Skip((int)page.Offset).Take(page.PageSize).Select(projection).ToArrayAsync(cancellationToken);
    }
}
