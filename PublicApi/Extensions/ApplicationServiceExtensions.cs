using SaasAssistants.Database;

namespace Microsoft.Extensions.Hosting;

internal static class ApplicationServiceExtensions
{
    /// <summary>PostgreSQL only: /health therefore checks just the database.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddSaasDatabase();
        builder.AddApiKeyAuthentication();
        builder.AddApiDocumentation();
        return builder;
    }
}
