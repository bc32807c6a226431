using Microsoft.Extensions.Configuration;

namespace SaasAssistants.AppHost.Hosting;

/// <summary>
/// The state folder (<c>.apphost/</c> at the repository root, or <c>--state-dir</c>): the servers' data and
/// secrets.json. Created on first use; <c>--reset</c> deletes it first.
/// </summary>
public sealed class AppHostState
{
    private readonly Lazy<AppHostSecrets> secrets;

    public AppHostState(string directory, IConfiguration configuration)
    {
        Directory = Path.GetFullPath(directory);
        secrets = new Lazy<AppHostSecrets>(() => ApplyOverrides(AppHostSecrets.LoadOrCreate(GetPath("secrets.json")), configuration));
    }

    public string Directory { get; }

    /// <summary>The persisted secrets, with <c>Seed:ApiKey</c> / <c>Seed:WebChannelToken</c> from configuration winning.</summary>
    public AppHostSecrets Secrets => secrets.Value;

    /// <summary>A path inside the state folder (the folder itself is created, readable by other users: postgres must reach its data).</summary>
    public string GetPath(params string[] parts)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.CreateDirectory(Directory);
            File.SetUnixFileMode(Directory, (UnixFileMode)0b111_101_101);
        }

        return Path.Combine([Directory, .. parts]);
    }

    public void Delete()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static AppHostSecrets ApplyOverrides(AppHostSecrets persisted, IConfiguration configuration) => persisted with
    {
        ApiKey = configuration["Seed:ApiKey"] is { Length: > 0 } apiKey ? apiKey : persisted.ApiKey,
        WebChannelToken = configuration["Seed:WebChannelToken"] is { Length: > 0 } token ? token : persisted.WebChannelToken,
    };
}
