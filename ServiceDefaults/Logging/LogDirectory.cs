using Microsoft.Extensions.Configuration;

namespace SaasAssistants.ServiceDefaults.Logging;

/// <summary>Where log files go: Logging:Directory, else the repository's logs/ folder, else ./logs.</summary>
internal static class LogDirectory
{
    private const string SolutionFileName = "SaasAssistants.sln";

    public static string Resolve(IConfiguration configuration)
    {
        if (configuration["Logging:Directory"] is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        // All services of a local run write next to each other in <repo>/logs, whichever folder they were started from.
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return Path.Combine(directory.FullName, "logs");
            }
        }

        return Path.GetFullPath("logs");
    }
}
