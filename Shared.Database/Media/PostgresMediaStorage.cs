using Microsoft.EntityFrameworkCore;

namespace SaasAssistants.Database.Media;

/// <summary>
/// The default storage: the media_contents table, through the scope's context (its tenant, its transaction). Chosen
/// over files because every service on any machine reads the same database, row level security covers the bytes and
/// backups include them; Media:MaxBytes keeps each row within reason (see migration 0015).
/// </summary>
public sealed class PostgresMediaStorage(SaasDbContext db) : IMediaStorage
{
    public Task SaveAsync(Guid tenantId, Guid mediaId, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO media_contents (media_id, tenant_id, content) VALUES ({mediaId}, {tenantId}, {content.ToArray()})
            ON CONFLICT (media_id) DO UPDATE SET content = EXCLUDED.content
            """, cancellationToken);

    public async Task<byte[]?> ReadAsync(Guid mediaId, CancellationToken cancellationToken) =>
        (await db.Database.SqlQuery<byte[]>($"""SELECT content AS "Value" FROM media_contents WHERE media_id = {mediaId}""")
            .ToListAsync(cancellationToken)).SingleOrDefault();
}
