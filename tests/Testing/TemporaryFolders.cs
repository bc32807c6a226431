using System.Globalization;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace SaasAssistants.Testing;

/// <summary>
/// Folders for test servers under the temp directory, named <c>{prefix}-{pid}-{random}</c> so that folders of test runs
/// that died without cleaning up can be recognised (their pid is gone) and deleted by the next run.
/// </summary>
[SupportedOSPlatform("linux")]
internal static partial class TemporaryFolders
{
    private const string Marker = "saas-testing-";

    /// <summary>A path that does not exist yet; whoever creates it makes it readable for the postgres user.</summary>
    public static string NewPath(string prefix) => Path.Combine(
        Path.GetTempPath(),
        $"{prefix}-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");

    /// <summary>Creates the folder, traversable by other users (PostgreSQL runs as postgres and must reach its data).</summary>
    public static string Create(string prefix)
    {
        var path = NewPath(prefix);
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    public static void Delete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // A server still writing; the next run's DeleteLeftovers takes it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public static void DeleteLeftovers()
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), Marker + "*"))
        {
            var match = LeftoverName().Match(Path.GetFileName(directory));
            if (match.Success
                && int.TryParse(match.Groups["pid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && !Directory.Exists($"/proc/{pid}"))
            {
                Delete(directory);
            }
        }
    }

    [GeneratedRegex("^saas-testing-[a-z-]+-(?<pid>[0-9]+)-[0-9a-f]{8}$")]
    private static partial Regex LeftoverName();
}
