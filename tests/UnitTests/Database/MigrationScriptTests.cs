using SaasAssistants.Database.Migrations;
using Xunit;

namespace SaasAssistants.UnitTests.Database;

public class MigrationScriptTests
{
    [Fact]
    public void The_version_comes_from_the_file_name()
    {
        var script = MigrationScript.FromFile("0042_add_tasks.sql", "SELECT 1;");

        Assert.Equal(42, script.Version);
        Assert.Equal("0042_add_tasks.sql", script.Name);
    }

    [Theory]
    [InlineData("add_tasks.sql")]
    [InlineData("0042-add_tasks.sql")]
    [InlineData("0042_add_tasks.txt")]
    [InlineData("0042_.sql")]
    public void A_file_not_named_NNNN_name_sql_is_refused(string fileName)
    {
        Assert.Throws<ArgumentException>(() => MigrationScript.FromFile(fileName, "SELECT 1;"));
    }

    [Fact]
    public void The_checksum_is_sha256_hex_and_ignores_line_endings()
    {
        var unix = MigrationScript.FromFile("0001_a.sql", "SELECT 1;\nSELECT 2;\n");
        var windows = MigrationScript.FromFile("0001_a.sql", "SELECT 1;\r\nSELECT 2;\r\n");
        var edited = MigrationScript.FromFile("0001_a.sql", "SELECT 1;\nSELECT 3;\n");

        Assert.Matches("^[0-9a-f]{64}$", unix.Checksum);
        Assert.Equal(unix.Checksum, windows.Checksum);
        Assert.NotEqual(unix.Checksum, edited.Checksum);
    }

    [Fact]
    public void The_embedded_migrations_start_at_the_foundation_and_are_in_order()
    {
        var scripts = new EmbeddedMigrationSource().Load();

        Assert.Equal("0001_foundation.sql", scripts[0].Name);
        Assert.Equal(scripts.OrderBy(s => s.Version).Select(s => s.Version), scripts.Select(s => s.Version));
        Assert.Equal(scripts.Count, scripts.Select(s => s.Version).Distinct().Count());
        Assert.Contains("CREATE TABLE tenants", scripts[0].Sql);
    }
}
