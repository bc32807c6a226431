using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;

namespace SaasAssistants.Knowledge.Indexing;

/// <summary>
/// A knowledge base's content version goes up with every change of its chunks (indexed, re-indexed, deleted): cached
/// search results are keyed on it, so every service stops using them at once, whatever process made the change.
/// </summary>
public static class KnowledgeBaseVersion
{
    public static Task<int> BumpAsync(SaasDbContext db, Guid knowledgeBaseId, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.KnowledgeBases.Where(k => k.Id == knowledgeBaseId).ExecuteUpdateAsync(k => k
            .SetProperty(x => x.ContentVersion, x => x.ContentVersion + 1)
            .SetProperty(x => x.UpdatedAt, at), cancellationToken);
}
