using SaasAssistants.AppHost.Hosting.ApplicationModel;

namespace SaasAssistants.AppHost.Hosting;

public static class ProjectResourceBuilderExtensions
{
    /// <param name="projectPath">The .csproj, relative to the AppHost project folder.</param>
    public static IResourceBuilder<ProjectResource> AddProject(this IDistributedApplicationBuilder builder, string name, string projectPath) =>
        builder.AddResource(new ProjectResource(name, Path.GetFullPath(projectPath, builder.AppHostDirectory), BuildOutputLayout.Current));

    /// <summary>Any command, with the same environment conventions as a project (Aspire's AddExecutable).</summary>
    public static IResourceBuilder<ExecutableResource> AddExecutable(this IDistributedApplicationBuilder builder, string name, string command, string workingDirectory, params string[] args) =>
        builder.AddResource(new ExecutableResource(name, command, Path.GetFullPath(workingDirectory, builder.AppHostDirectory), args));
}
