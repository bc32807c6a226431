using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace SaasAssistants.ServiceDefaults;

/// <summary>The name this process goes by in logs, traces, log file names and broker/database client names.</summary>
internal static class ServiceIdentity
{
    public static string GetName(IHostApplicationBuilder builder) =>
        GetName(builder.Configuration, builder.Environment.ApplicationName);

    // OTEL_SERVICE_NAME is what the AppHost injects (as Aspire does); the assembly name covers a bare `dotnet run`.
    public static string GetName(IConfiguration configuration, string applicationName) =>
        configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : applicationName;
}
