namespace SaasAssistants.AppHost.Hosting.Processes;

/// <summary>Finds a command the way the shell would, so a missing one fails to start clearly instead of exiting 127.</summary>
public static class CommandLocator
{
    public static string? Find(string command, string workingDirectory)
    {
        if (command.Contains('/', StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(command, workingDirectory);
            return File.Exists(path) ? path : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(File.Exists);
    }
}
