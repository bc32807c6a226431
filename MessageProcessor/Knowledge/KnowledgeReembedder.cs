using Microsoft.EntityFrameworkCore;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.Knowledge;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.Knowledge.Embeddings;
using SaasAssistants.Knowledge.Indexing;

namespace SaasAssistants.MessageProcessor.Knowledge;

/// <summary>
/// At start-up, finds the knowledge bases embedded with another model than the configured one (the model was changed)
/// and re-embeds them: each is switched to the new model and every document queued for a <c>knowledge.index</c> task.
/// Until a document is re-indexed its old vectors are not compared with the new model's (search filters on the model),
/// and its full-text matches still count.
/// </summary>
public sealed class KnowledgeReembedder(
    NpgsqlDataSource dataSource, IServiceScopeFactory scopes, EmbeddingModel model, TimeProvider time, ILogger<KnowledgeReembedder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var stale = new List<(Guid Tenant, Guid KnowledgeBase)>();
            await using (var command = dataSource.CreateCommand("SELECT tenant_id, knowledge_base_id FROM knowledge_bases_to_reembed($1)"))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = model.Name });
                await using var reader = await command.ExecuteReaderAsync(stoppingToken);
                while (await reader.ReadAsync(stoppingToken))
                {
                    stale.Add((reader.GetGuid(0), reader.GetGuid(1)));
                }
            }
            foreach (var (tenantId, knowledgeBaseId) in stale)
            {
                await ReembedAsync(tenantId, knowledgeBaseId, stoppingToken);
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // Searches keep working on full text meanwhile; the next start tries again.
            logger.LogError(ex, "Re-embedding knowledge bases for model {Model} failed", model.Name);
        }
    }

    internal async Task ReembedAsync(Guid tenantId, Guid knowledgeBaseId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(tenantId);
        var db = scope.ServiceProvider.GetRequiredService<SaasDbContext>();
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var switched = await db.KnowledgeBases.Where(k => k.Id == knowledgeBaseId && k.EmbeddingModel != model.Name)
            .ExecuteUpdateAsync(k => k.SetProperty(x => x.EmbeddingModel, model.Name).SetProperty(x => x.UpdatedAt, now), cancellationToken);
        if (switched == 0)
        {
            return; // another instance did it first
        }

        var documents = await db.KnowledgeDocuments.Where(d => d.KnowledgeBaseId == knowledgeBaseId).ToListAsync(cancellationToken);
        foreach (var document in documents)
        {
            var task = KnowledgeIndexTask.Create(tenantId, document.Id, now);
            db.Tasks.Add(task);
            foreach (var @event in task.TakeEvents())
            {
                db.AddIntegrationEvent(@event);
            }

            document.Status = KnowledgeDocumentStatus.Queued;
            document.IndexTaskId = task.Id;
            document.ProgressPercent = 0;
            document.UpdatedAt = now;
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Knowledge base {KnowledgeBaseId} switched to {Model}: {Documents} documents queued for re-embedding",
            knowledgeBaseId, model.Name, documents.Count);
    }
}
