using SaasAssistants.Database;
using SaasAssistants.PublicApi.Tasks;

namespace Microsoft.Extensions.Hosting;

internal static class ApplicationServiceExtensions
{
    /// <summary>PostgreSQL only: /health therefore checks just the database.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddSaasDatabase();
        builder.AddPublicApiVersioning();
        builder.AddApiKeyAuthentication();
        builder.AddApiDocumentation();
        builder.Services.AddSingleton<TasksApiMetrics>();
        return builder;
    }
}
