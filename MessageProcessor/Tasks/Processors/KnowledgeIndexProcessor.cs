using System.Text.Json;
using SaasAssistants.Database.Knowledge;
using SaasAssistants.Knowledge.Indexing;
using SaasAssistants.Knowledge.Ingest;

namespace SaasAssistants.MessageProcessor.Tasks.Processors;

/// <summary>
/// <c>knowledge.index</c>: reads, chunks, embeds and stores one document (<c>{"documentId": "..."}</c>), with progress
/// on the document's row. A document that cannot be read fails at once; anything else (the database, an embedding
/// provider) is retried, and the document shows failed only when no attempt is left.
/// </summary>
public sealed class KnowledgeIndexProcessor : ITaskProcessor
{
    public const string DocumentNotFound = "document_not_found";
    public const string UnreadableDocument = "unreadable_document";

    public string Type => KnowledgeIndexTask.Type;

    public IReadOnlyList<TaskPayloadError> Validate(JsonElement payload) =>
        payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("documentId", out var id)
            && id.ValueKind == JsonValueKind.String && Guid.TryParse(id.GetString(), out _)
            ? []
            : [new TaskPayloadError("documentId", "is required and must be a document's id (a uuid).")];

    public async Task<TaskResult> ProcessAsync(TaskExecution context, CancellationToken cancellationToken)
    {
        var documentId = Guid.Parse(context.Payload.GetProperty("documentId").GetString()!);
        var indexer = context.Services.GetRequiredService<KnowledgeIndexer>();
        try
        {
            var indexed = await indexer.IndexAsync(documentId, context.TaskId, cancellationToken);
            return new TaskResult([TaskOutput.Json(JsonSerializer.Serialize(indexed))]);
        }
        catch (Exception ex) when (ex is not (KnowledgeDocumentNotFoundException or OperationCanceledException))
        {
            var final = ex is DocumentReadException || context.Attempt >= context.MaxAttempts;
            // The document's own row tells the person who uploaded it; CancellationToken.None: this must be written.
            await indexer.MarkFailedAsync(documentId, ex is DocumentReadException ? ex.Message : $"Indexing failed: {ex.Message}", final, CancellationToken.None);
            throw;
        }
    }

    public TaskFailure ClassifyFailure(Exception exception) => exception switch
    {
        // Deleted after the task was queued: there is nothing to do, and nothing to retry.
        KnowledgeDocumentNotFoundException => new TaskFailure(DocumentNotFound, false, exception.Message),
        DocumentReadException => new TaskFailure(UnreadableDocument, false, exception.Message),
        _ => TaskFailure.Unexpected(exception),
    };
}
