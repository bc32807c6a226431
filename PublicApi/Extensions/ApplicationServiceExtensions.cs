using SaasAssistants.Database;
using SaasAssistants.PublicApi.Tasks;

namespace Microsoft.Extensions.Hosting;

internal static class ApplicationServiceExtensions
{
    /// <summary>PostgreSQL (and Redis for the knowledge search cache when ConnectionStrings:redis is given).</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddSaasDatabase();
        builder.AddKnowledge();
        builder.AddApiKeyAuthentication();
        builder.AddApiDocumentation();
        builder.Services.AddSingleton<TasksApiMetrics>();
        return builder;
    }
}
