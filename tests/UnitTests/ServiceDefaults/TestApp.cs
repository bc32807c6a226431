using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace SaasAssistants.UnitTests.ServiceDefaults;

/// <summary>A WebApplication with the service defaults, on TestServer or on a real Kestrel port.</summary>
internal static class TestApp
{
    public const string ServiceName = "unit-tests";

    public static WebApplicationBuilder CreateBuilder(
        string logDirectory, bool useKestrel = false, string environment = "Production", params (string Key, string? Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Before AddServiceDefaults: logging reads its directory and the service name at that point.
        builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>
            {
                ["OTEL_SERVICE_NAME"] = ServiceName,
                ["Logging:Directory"] = logDirectory,
            }.Concat(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))));

        if (useKestrel)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        return builder;
    }

    public static string NewLogDirectory() =>
        Directory.CreateTempSubdirectory("servicedefaults-tests-").FullName;

    /// <summary>The address Kestrel actually bound when asked for port 0.</summary>
    public static Uri BaseAddress(WebApplication app) => new(app.Urls.First());
}
