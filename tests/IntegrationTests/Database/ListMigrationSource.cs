using SaasAssistants.Database.Migrations;

namespace SaasAssistants.IntegrationTests.Database;

/// <summary>Scripts given by the test, as (file name, SQL) pairs.</summary>
public sealed class ListMigrationSource(params (string FileName, string Sql)[] files) : IMigrationSource
{
    public IReadOnlyList<MigrationScript> Load() => files.Select(f => MigrationScript.FromFile(f.FileName, f.Sql)).ToList();
}
