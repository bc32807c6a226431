using Asp.Versioning;
using SaasAssistants.PublicApi.Versioning;

namespace Microsoft.Extensions.Hosting;

internal static class ApiVersioningExtensions
{
    /// <summary>
    /// Asp.Versioning reads the version from the URL segment, answers an unknown one with a problem, reports the
    /// supported versions (api-supported-versions) on every versioned response, and gives the API explorer one group
    /// per version with the version substituted into the paths, so each OpenAPI document shows /api/v1/... or /api/v2/....
    /// </summary>
    public static IHostApplicationBuilder AddPublicApiVersioning(this IHostApplicationBuilder builder)
    {
        builder.Services
            .AddApiVersioning(options =>
            {
                options.DefaultApiVersion = ApiVersions.V1;
                options.ApiVersionReader = new UrlSegmentApiVersionReader();
                options.ReportApiVersions = true;
            })
            .AddApiExplorer(options =>
            {
                options.GroupNameFormat = "'v'V";
                options.SubstituteApiVersionInUrl = true;
            });
        return builder;
    }
}
