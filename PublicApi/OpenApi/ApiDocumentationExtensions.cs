using Microsoft.OpenApi;
using SaasAssistants.PublicApi.OpenApi;
using SaasAssistants.PublicApi.Versioning;

namespace Microsoft.Extensions.Hosting;

/// <summary>One OpenAPI document per API version (/openapi/{version}.json) and Swagger UI over all of them.</summary>
internal static class ApiDocumentationExtensions
{
    /// <summary>Versioned endpoints join their version's document through Asp.Versioning's API explorer (group "v1", "v2").</summary>
    private static readonly string[] Versions = [.. ApiVersions.All.Select(ApiVersions.DocumentName)];

    public static IHostApplicationBuilder AddApiDocumentation(this IHostApplicationBuilder builder)
    {
        foreach (var version in Versions)
        {
            builder.Services.AddOpenApi(version, options =>
            {
                // Seed 001 asks for OpenAPI 3.0: the version most partners' generators and gateways read.
                options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
                options.AddDocumentTransformer((document, _, _) =>
                {
                    document.Info.Title = "SaasAssistants Public API";
                    document.Info.Version = version;
                    return Task.CompletedTask;
                });
                options.AddDocumentTransformer<ApiKeySecurityTransformer>();
                options.AddOperationTransformer<ApiKeySecurityTransformer>();
                options.AddOperationTransformer<RateLimitResponseTransformer>();
            });
        }
        return builder;
    }

    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        app.MapOpenApi();
        app.UseSwaggerUI(options =>
        {
            foreach (var version in Versions)
            {
                options.SwaggerEndpoint($"/openapi/{version}.json", $"SaasAssistants API {version}");
            }
        });
        app.MapGet("/", () => TypedResults.Redirect("/swagger")).ExcludeFromDescription();
        return app;
    }
}
