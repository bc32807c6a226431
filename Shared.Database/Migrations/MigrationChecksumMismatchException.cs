namespace SaasAssistants.Database.Migrations;

/// <summary>
/// An already-applied migration file was edited. Applied migrations are history: the database already ran the old
/// text, so the change would silently never happen. Put the change in a new file instead.
/// </summary>
public sealed class MigrationChecksumMismatchException(int version, string name, string appliedChecksum, string currentChecksum)
    : Exception($"Migration {version} ({name}) was changed after it was applied (applied checksum {appliedChecksum}, file now {currentChecksum}). "
                + "Applied migrations must not be edited: revert the file and put the change in a new migration.")
{
    public int Version { get; } = version;
    public string Name { get; } = name;
}
