using System.Globalization;

namespace SaasAssistants.AppHost.State;

/// <summary>
/// One AppHost per state folder. A second one would find the first one's PostgreSQL running on the same data folder,
/// take it for a server left by a killed run and stop it, and its own services would then fail on the ports the first
/// one holds. The lock is an exclusive flock (FileShare.None), which the kernel releases when the process ends, however
/// it ends, so a killed AppHost never leaves the folder locked.
/// </summary>
public sealed class StateFolderLock : IDisposable
{
    public const string LockFileName = "apphost.lock";
    public const string PidFileName = "apphost.pid";

    private readonly FileStream _lock;

    private StateFolderLock(FileStream lockFile) => _lock = lockFile;

    public static StateFolderLock Acquire(string directory)
    {
        var pidFile = Path.Combine(directory, PidFileName);
        try
        {
            var lockFile = new FileStream(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            File.WriteAllText(pidFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            return new StateFolderLock(lockFile);
        }
        catch (IOException)
        {
            var holder = File.Exists(pidFile) ? File.ReadAllText(pidFile).Trim() : "?";
            throw new StateFolderInUseException(
                $"Another AppHost (pid {holder}) is running with the state folder {directory}. Stop it first (Ctrl+C where it " +
                "runs), or run this one beside it with its own folder and ports (--state-dir DIR --Ports:NAME=N, see the README).");
        }
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>Whether <paramref name="path"/> is one of the lock's own files (a reset keeps them).</summary>
    public static bool IsLockFile(string path) => Path.GetFileName(path) is LockFileName or PidFileName;
}
