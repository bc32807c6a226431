namespace SaasAssistants.AppHost.Hosting.ApplicationModel;

/// <summary>
/// Where the AppHost's source lives and where a project's build output is: <c>bin/{Configuration}/{TargetFramework}</c>
/// with the AppHost's own configuration and framework (embedded in this assembly at build time, see AppHost.csproj).
/// </summary>
public sealed class BuildOutputLayout
{
    private BuildOutputLayout(string appHostDirectory, string configuration, string targetFramework)
    {
        AppHostDirectory = appHostDirectory;
        Configuration = configuration;
        TargetFramework = targetFramework;
        RepositoryRoot = FindRepositoryRoot(appHostDirectory);
    }

    public static BuildOutputLayout Current { get; } = FromAssemblyMetadata();

    public string AppHostDirectory { get; }

    /// <summary>The folder holding SaasAssistants.sln (the AppHost's parent when there is none).</summary>
    public string RepositoryRoot { get; }

    public string Configuration { get; }

    public string TargetFramework { get; }

    public string GetAssemblyPath(string projectPath) => Path.Combine(
        Path.GetDirectoryName(projectPath)!, "bin", Configuration, TargetFramework, Path.GetFileNameWithoutExtension(projectPath) + ".dll");

    private static BuildOutputLayout FromAssemblyMetadata()
    {
        var metadata = typeof(BuildOutputLayout).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), inherit: false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .ToDictionary(a => a.Key, a => a.Value);
        return new BuildOutputLayout(
            metadata.GetValueOrDefault("AppHostProjectDirectory") ?? Directory.GetCurrentDirectory(),
            metadata.GetValueOrDefault("AppHostConfiguration") ?? "Debug",
            metadata.GetValueOrDefault("AppHostTargetFramework") ?? "net10.0");
    }

    private static string FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SaasAssistants.sln")))
            {
                return directory.FullName;
            }
        }

        return Path.GetFullPath(Path.Combine(start, ".."));
    }
}
