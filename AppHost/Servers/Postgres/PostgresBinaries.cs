namespace SaasAssistants.AppHost.Servers;

/// <summary>The newest installed PostgreSQL server binaries (Debian: /usr/lib/postgresql/15/bin).</summary>
internal static class PostgresBinaries
{
    public static string Directory { get; } = System.IO.Directory.Exists("/usr/lib/postgresql")
        ? System.IO.Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => (Directory: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            .OrderByDescending(d => d.Version)
            .Select(d => Path.Combine(d.Directory, "bin"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "postgres"))) ?? "/usr/lib/postgresql/15/bin"
        : "/usr/lib/postgresql/15/bin";
}
