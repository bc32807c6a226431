using Microsoft.Extensions.AI;

namespace SaasAssistants.Knowledge.Embeddings;

/// <summary>
/// The configured embedding model, as knowledge bases and chunks record it ("local/all-MiniLM-L6-v2",
/// "openai/text-embedding-3-small"): vectors of different models are never compared.
/// </summary>
public sealed record EmbeddingModel(string Name, int Dimensions)
{
    /// <summary>The size of knowledge_chunks.embedding; other providers are asked for vectors of this size.</summary>
    public const int StoredDimensions = 384;

    public static EmbeddingModel Of(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        return new EmbeddingModel($"{metadata?.ProviderName ?? "unknown"}/{metadata?.DefaultModelId ?? "unknown"}", StoredDimensions);
    }
}
