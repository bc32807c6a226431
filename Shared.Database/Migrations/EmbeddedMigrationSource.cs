namespace SaasAssistants.Database.Migrations;

/// <summary>The <c>Migrations/*.sql</c> files compiled into Shared.Database (see the csproj's LogicalName).</summary>
public sealed class EmbeddedMigrationSource : IMigrationSource
{
    private const string ResourcePrefix = "Migrations/";

    public IReadOnlyList<MigrationScript> Load()
    {
        var assembly = typeof(EmbeddedMigrationSource).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
                return MigrationScript.FromFile(name[ResourcePrefix.Length..], reader.ReadToEnd());
            })
            .OrderBy(script => script.Version)
            .ToList();
    }
}
