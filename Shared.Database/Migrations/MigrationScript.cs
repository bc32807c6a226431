using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace SaasAssistants.Database.Migrations;

/// <summary>One migration file, <c>NNNN_name.sql</c>: applied once, in version order, and never edited afterwards.</summary>
public sealed partial record MigrationScript(int Version, string Name, string Sql)
{
    /// <summary>
    /// SHA-256 (hex) of the script with line endings normalised, so a checkout that turns LF into CRLF
    /// is not mistaken for an edited migration.
    /// </summary>
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>Reads the version from a file name such as <c>0001_foundation.sql</c>.</summary>
    public static MigrationScript FromFile(string fileName, string sql)
    {
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            throw new ArgumentException($"Migration file '{fileName}' is not named NNNN_name.sql.", nameof(fileName));
        }

        return new MigrationScript(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), fileName, sql);
    }

    [GeneratedRegex(@"^(\d+)_[A-Za-z0-9_\-]+\.sql$")]
    private static partial Regex FileNamePattern();
}
