using Microsoft.EntityFrameworkCore;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace SaasAssistants.Database;

/// <summary>
/// How the services' EF Core and Npgsql talk to the saas database, in one place for every registration to share:
/// the EF side (<see cref="ConfigureDbContext"/>, on <c>UseNpgsql(..., npgsql => ...)</c>) and the data-source side
/// (<see cref="ConfigureDataSource"/>). Both are needed when EF is handed a data source built elsewhere, because EF
/// configures only the data sources it builds itself; with a connection string, the EF side alone is enough.
/// </summary>
public static class SaasNpgsqlOptions
{
    public static void ConfigureDbContext(NpgsqlDbContextOptionsBuilder npgsql) => npgsql
        // ids.Contains(x) as one array parameter (= ANY(@ids)): one SQL text and one cached query for every list
        // length, instead of EF's default of a parameter per element, which compiles a new query shape per length.
        .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter)
        // pgvector's `vector` columns as Pgvector.Vector, its distance operators (CosineDistance, L2Distance, ...) in
        // LINQ, and HasMethod("hnsw") indexes; migration 0005 creates the extension.
        .UseVector();

    /// <summary>pgvector's type on the ADO.NET side, so a Vector can be a parameter or a column read.</summary>
    public static void ConfigureDataSource(NpgsqlDataSourceBuilder dataSource) => dataSource.UseVector();
}
