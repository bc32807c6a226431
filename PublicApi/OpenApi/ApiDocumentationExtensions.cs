using SaasAssistants.PublicApi.OpenApi;

namespace Microsoft.Extensions.Hosting;

/// <summary>One OpenAPI document per API version (/openapi/{version}.json) and Swagger UI over all of them.</summary>
internal static class ApiDocumentationExtensions
{
    /// <summary>Endpoints join a version's document with WithGroupName(version).</summary>
    private static readonly string[] Versions = ["v1"];

    public static IHostApplicationBuilder AddApiDocumentation(this IHostApplicationBuilder builder)
    {
        foreach (var version in Versions)
        {
            builder.Services.AddOpenApi(version, options =>
            {
                options.AddDocumentTransformer((document, _, _) =>
                {
                    document.Info.Title = "SaasAssistants Public API";
                    document.Info.Version = version;
                    return Task.CompletedTask;
                });
                options.AddDocumentTransformer<ApiKeySecurityTransformer>();
                options.AddOperationTransformer<ApiKeySecurityTransformer>();
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
                options.SwaggerEndpoint($"/openapi/{version}.json", $"SaasAssistants API {version}");
        });
        app.MapGet("/", () => TypedResults.Redirect("/swagger")).ExcludeFromDescription();
        return app;
    }
}
