namespace SaasAssistants.Database.Migrations;

/// <summary>Where the migrator finds its scripts: the SQL files embedded in this assembly, or any other list.</summary>
public interface IMigrationSource
{
    IReadOnlyList<MigrationScript> Load();
}
