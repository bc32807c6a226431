using System.Text.RegularExpressions;
using Xunit;

namespace SaasAssistants.UnitTests.CodeStyle;

/// <summary>
/// The two rules of .editorconfig that no analyzer can check: cancellation tokens are spelled out, and product code does
/// not call ConfigureAwait(false) (ASP.NET Core and the generic host have no SynchronizationContext). The others (braces,
/// field names, file-scoped namespaces) the build itself enforces.
/// </summary>
public sealed partial class ConventionTests
{
    // tests/UnitTests/bin/{Configuration}/net10.0 → the repository root.
    private static readonly string RepositoryRoot =
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    private static readonly string[] ProductProjects =
    [
        "AppHost", "ChannelSimulator", "EventBus", "Gateway", "MessageProcessor", "Migrator", "PublicApi", "ServiceDefaults",
        "Shared.Contracts", "Shared.Database", "Shared.Knowledge", "WebApp",
    ];

    [Fact]
    public void Cancellation_token_parameters_are_named_cancellationToken()
    {
        var offenders = SourceLines(ProductProjects.Append("tests").Append("bench"))
            .Where(line => AbbreviatedToken().IsMatch(line.Text))
            .Select(line => line.ToString())
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void Product_code_does_not_call_ConfigureAwait_false()
    {
        var offenders = SourceLines(ProductProjects)
            .Where(line => line.Text.Contains(".ConfigureAwait(false)", StringComparison.Ordinal))
            .Select(line => line.ToString())
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void The_scan_sees_the_product_sources()
    {
        // Guards the two checks above against passing because they read nothing.
        Assert.Contains(SourceLines(["MessageProcessor"]), line => line.Text.Contains("CancellationToken cancellationToken", StringComparison.Ordinal));
    }

    private static IEnumerable<SourceLine> SourceLines(IEnumerable<string> folders) =>
        from folder in folders
        let path = Path.Combine(RepositoryRoot, folder)
        where Directory.Exists(path)
        from file in Directory.EnumerateFiles(path, "*.cs", SearchOption.AllDirectories)
        where !IsBuildOutput(file)
        from line in File.ReadLines(file).Select((text, index) => new SourceLine(Path.GetRelativePath(RepositoryRoot, file), index + 1, text))
        select line;

    private static bool IsBuildOutput(string file) =>
        file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ||
        file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    [GeneratedRegex(@"\bCancellationToken\s+(ct|token|cancel|cancellation)\b")]
    private static partial Regex AbbreviatedToken();

    private sealed record SourceLine(string File, int Number, string Text)
    {
        public override string ToString() => $"{File}:{Number}: {Text.Trim()}";
    }
}
