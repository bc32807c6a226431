namespace SaasAssistants.Testing.Processes;

/// <summary>The dotnet executable that runs us (so children use the same SDK/runtime), else the one on PATH.</summary>
internal static class DotnetHost
{
    public static string Path { get; } =
        Environment.ProcessPath is { } self && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : "dotnet";
}
