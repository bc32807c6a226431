using System.Globalization;

namespace SaasAssistants.AppHost;

/// <summary>
/// The AppHost's own switches, turned into configuration keys before Aspire reads the command line:
/// <c>--reset</c> is a flag without a value, which the command-line configuration provider cannot express, and
/// <c>--dashboard-port N</c> sets the dashboard's URL and puts its OTLP and resource-service endpoints on N+1 and N+2.
/// </summary>
internal static class CommandLine
{
    public static string[] Normalize(string[] args)
    {
        var normalized = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var (name, value) = args[i].Split('=', 2) is [var n, var v] ? (n, v) : (args[i], null);
            switch (name)
            {
                case "--reset":
                    normalized.Add("--AppHost:Reset=true");
                    break;
                case "--state-dir":
                    normalized.Add($"--AppHost:StateDirectory={value ?? args[++i]}");
                    break;
                case "--dashboard-port":
                    var port = int.Parse(value ?? args[++i], CultureInfo.InvariantCulture);
                    normalized.Add($"--ASPNETCORE_URLS=http://localhost:{port}");
                    normalized.Add($"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:{port + 1}");
                    normalized.Add($"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:{port + 2}");
                    break;
                default:
                    normalized.Add(args[i]);
                    break;
            }
        }

        return [.. normalized];
    }
}
