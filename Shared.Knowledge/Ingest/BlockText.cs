using System.Text.RegularExpressions;

namespace SaasAssistants.Knowledge.Ingest;

/// <summary>Whitespace as a reader finds it (line breaks inside a paragraph, runs of spaces) folded to single spaces.</summary>
internal static partial class BlockText
{
    public static string Normalize(string? text) => text is null ? "" : Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
