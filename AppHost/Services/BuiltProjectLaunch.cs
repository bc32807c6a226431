using System.Reflection;
using System.Runtime.Versioning;
using Aspire.Hosting.ApplicationModel;

namespace SaasAssistants.AppHost.Services;

internal static class BuiltProjectLaunch
{
    /// <summary>
    /// Starts the project's build output (bin/{configuration}/{framework}/{name}, the executable the SDK writes) instead of
    /// Aspire's default <c>dotnet run --project ... --no-build</c>: the AppHost's build has built it already (it references
    /// every project), and each <c>dotnet run</c> costs an MSBuild evaluation (seconds on a busy 2-core machine, all
    /// five at once) and a wrapper process of ~100 MB that lives as long as the service. Where that output is missing (an
    /// unusual output path), Aspire's default stays.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithBuiltExecutable(this IResourceBuilder<ProjectResource> project)
    {
        var projectPath = project.Resource.GetProjectMetadata().ProjectPath;
        var projectDirectory = Path.GetDirectoryName(projectPath)!;
        var executable = Path.Combine(projectDirectory, "bin", Configuration, Framework, Path.GetFileNameWithoutExtension(projectPath));
        if (!File.Exists(executable))
        {
            return project;
        }

        // With an ExecutableAnnotation, Aspire launches Command in WorkingDirectory with the resource's own arguments only.
        return project.WithAnnotation(new ExecutableAnnotation { Command = executable, WorkingDirectory = projectDirectory }, ResourceAnnotationMutationBehavior.Replace);
    }

    // The AppHost is built with the same configuration and target framework as the projects it references.
    private static string Configuration { get; } = typeof(BuiltProjectLaunch).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    // The AppHost assembly's own (".NETCoreApp,Version=v10.0"), not AppContext's: under Aspire.Hosting.Testing the
    // entry assembly is the test host's.
    private static string Framework { get; } = "net" + (typeof(BuiltProjectLaunch).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName is { } name
        && name.LastIndexOf('v') is > 0 and var v
            ? name[(v + 1)..]
            : $"{Environment.Version.Major}.{Environment.Version.Minor}");
}
