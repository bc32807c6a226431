using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace SaasAssistants.AppHost.State;

/// <summary>
/// The state folder (<c>.apphost/</c> at the repository root, or <c>--state-dir</c>): the local servers' data and
/// secrets.json, so data and credentials survive a restart. <c>--reset</c> empties it first. One AppHost at a time
/// uses it (<see cref="StateFolderLock"/>).
/// </summary>
public sealed class AppHostState
{
    public const string DirectoryKey = "AppHost:StateDirectory";
    public const string ResetKey = "AppHost:Reset";

    private AppHostState(string directory, AppHostSecrets secrets, StateFolderLock folderLock)
    {
        Directory = directory;
        Secrets = secrets;
        Lock = folderLock;
    }

    /// <summary>Held for the process's lifetime: no second AppHost uses this folder meanwhile.</summary>
    public StateFolderLock Lock { get; }

    public string Directory { get; }

    /// <summary>The persisted secrets, with <c>Seed:ApiKey</c> / <c>Seed:WebChannelToken</c> from configuration winning.</summary>
    public AppHostSecrets Secrets { get; }

    /// <summary>A folder inside the state folder (created).</summary>
    public string GetDirectory(string name) => System.IO.Directory.CreateDirectory(Path.Combine(Directory, name)).FullName;

    /// <summary>
    /// PostgreSQL's folder. The server runs as the postgres user (it refuses root), which must be able to reach it: a
    /// state folder under a home that others cannot enter (/root is 0700) cannot hold it, so then it lives in
    /// /var/lib/saas-assistants/{hash of the state folder}, which --reset deletes as well.
    /// </summary>
    public string GetPostgresDirectory(string osUser)
    {
        var inState = Path.Combine(Directory, "postgres");
        if (!Environment.IsPrivilegedProcess || CanEnter(osUser, Directory))
        {
            return System.IO.Directory.CreateDirectory(inState).FullName;
        }

        var outside = OutsideDirectory();
        System.IO.Directory.CreateDirectory(outside);
        File.SetUnixFileMode(Path.GetDirectoryName(outside)!, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(outside, (UnixFileMode)0b111_101_101);
        return System.IO.Directory.CreateDirectory(Path.Combine(outside, "postgres")).FullName;
    }

    public static AppHostState Load(IConfiguration configuration, string defaultDirectory)
    {
        var directory = Path.GetFullPath(configuration[DirectoryKey] is { Length: > 0 } configured ? configured : defaultDirectory);
        if (!System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.CreateDirectory(directory);
            // Readable and enterable by others: the servers' own users (postgres) keep their data below it.
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        }

        // Before anything in the folder is read or deleted: another AppHost may be using it.
        var folderLock = StateFolderLock.Acquire(directory);
        if (configuration.GetValue(ResetKey, false))
        {
            Delete(directory);
        }

        var persisted = AppHostSecrets.LoadOrCreate(Path.Combine(directory, "secrets.json"));
        return new AppHostState(directory, persisted with
        {
            ApiKey = configuration["Seed:ApiKey"] is { Length: > 0 } apiKey ? apiKey : persisted.ApiKey,
            WebChannelToken = configuration["Seed:WebChannelToken"] is { Length: > 0 } token ? token : persisted.WebChannelToken,
            WhatsApp = persisted.WhatsApp.WithOverrides(configuration.GetSection("Seed:WhatsApp"), "PhoneNumberId"),
            Instagram = persisted.Instagram.WithOverrides(configuration.GetSection("Seed:Instagram"), "AccountId"),
        }, folderLock);
    }

    /// <summary>Everything in the state folder but its lock, and PostgreSQL's folder outside it.</summary>
    private static void Delete(string directory)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos().Where(e => !StateFolderLock.IsLockFile(e.FullName)))
        {
            if (entry is DirectoryInfo folder)
            {
                folder.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
        }

        if (System.IO.Directory.Exists(OutsideDirectory(directory)))
        {
            System.IO.Directory.Delete(OutsideDirectory(directory), recursive: true);
        }
    }

    private string OutsideDirectory() => OutsideDirectory(Directory);

    private static string OutsideDirectory(string stateDirectory) => Path.Combine(
        "/var/lib/saas-assistants", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stateDirectory)))[..16]);

    /// <summary>Whether <paramref name="osUser"/> can enter the folder (every folder above it needs the x bit for that user).</summary>
    private static bool CanEnter(string osUser, string directory)
    {
        using var test = Process.Start(new ProcessStartInfo("runuser", ["-u", osUser, "--", "test", "-x", directory, "-a", "-r", directory])
        {
            RedirectStandardError = true,
        })!;
        test.WaitForExit();
        return test.ExitCode == 0;
    }
}
