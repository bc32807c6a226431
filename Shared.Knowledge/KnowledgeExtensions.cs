using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SaasAssistants.Knowledge;
using SaasAssistants.Knowledge.Chunking;
using SaasAssistants.Knowledge.Embeddings;
using SaasAssistants.Knowledge.Indexing;
using SaasAssistants.Knowledge.Ingest;
using SaasAssistants.Knowledge.Search;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

public static class KnowledgeExtensions
{
    /// <summary>
    /// The knowledge base: readers, chunker, the embedding generator of <c>Knowledge:Embeddings</c>, the indexer and the
    /// hybrid search (<see cref="IKnowledgeSearch"/>). Needs AddSaasDatabase. Search results are cached in Redis when
    /// ConnectionStrings:redis is configured.
    /// </summary>
    public static IHostApplicationBuilder AddKnowledge(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<KnowledgeOptions>().BindConfiguration(KnowledgeOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.Services.AddSingleton<IDocumentReader, TextDocumentReader>();
        builder.Services.AddSingleton<IDocumentReader, MarkdownDocumentReader>();
        builder.Services.AddSingleton<IDocumentReader, HtmlDocumentReader>();
        builder.Services.AddSingleton<IDocumentReader, PdfDocumentReader>();
        builder.Services.AddSingleton<IDocumentReader, DocxDocumentReader>();
        builder.Services.AddSingleton<DocumentReaders>();
        builder.Services.AddSingleton<UploadInspector>();
        builder.Services.AddSingleton<StructuredChunker>();
        builder.Services.AddHttpClient<WebPageFetcher>()
            .ConfigurePrimaryHttpMessageHandler(services => WebPageFetcher.CreateHandler(services.GetRequiredService<IOptions<KnowledgeOptions>>().Value));

        builder.Services.TryAddSingleton(services => EmbeddingGeneratorFactory.Create(services.GetRequiredService<IOptions<KnowledgeOptions>>().Value.Embeddings));
        builder.Services.TryAddSingleton(services => EmbeddingModel.Of(services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>()));

        builder.Services.AddScoped<DocumentIntake>();
        builder.Services.AddScoped<KnowledgeIndexer>();
        builder.Services.AddScoped<IKnowledgeSearch, HybridKnowledgeSearch>();
        builder.Services.AddSingleton<KnowledgeSearchCache>();

        if (!string.IsNullOrEmpty(builder.Configuration.GetConnectionString("redis"))
            && !builder.Services.Any(s => s.ServiceType == typeof(IConnectionMultiplexer)))
        {
            builder.AddRedisClient("redis");
        }

        return builder;
    }
}
