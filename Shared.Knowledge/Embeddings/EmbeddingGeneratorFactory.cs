using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Embeddings;

namespace SaasAssistants.Knowledge.Embeddings;

/// <summary>The embedding generator <c>Knowledge:Embeddings</c> asks for: the built-in MiniLM, or an OpenAI-compatible endpoint.</summary>
public static class EmbeddingGeneratorFactory
{
    public static IEmbeddingGenerator<string, Embedding<float>> Create(KnowledgeEmbeddingOptions options)
    {
        switch (options.Provider.ToLowerInvariant())
        {
            case "local":
                return new MiniLmEmbeddingGenerator();
            case "openai":
                if (string.IsNullOrWhiteSpace(options.Model) || string.IsNullOrWhiteSpace(options.ApiKey))
                {
                    throw new InvalidOperationException("Knowledge:Embeddings:Provider is openai, so Knowledge:Embeddings:Model and ApiKey are required.");
                }

                var client = new EmbeddingClient(options.Model, new ApiKeyCredential(options.ApiKey),
                    new OpenAIClientOptions { Endpoint = options.Endpoint });
                // text-embedding-3 models shorten their vectors on request; the column holds 384 dimensions.
                return new ProviderNamed(client.AsIEmbeddingGenerator(EmbeddingModel.StoredDimensions), "openai", options.Model);
            default:
                throw new InvalidOperationException($"Knowledge:Embeddings:Provider '{options.Provider}' is not known: use local or openai.");
        }
    }

    /// <summary>The OpenAI adapter's metadata names the model; this adds the provider name the recorded model starts with.</summary>
    private sealed class ProviderNamed(IEmbeddingGenerator<string, Embedding<float>> inner, string provider, string model)
        : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
    {
        private readonly EmbeddingGeneratorMetadata _metadata = new(provider, defaultModelId: model, defaultModelDimensions: EmbeddingModel.StoredDimensions);

        public override object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(EmbeddingGeneratorMetadata) && serviceKey is null ? _metadata : base.GetService(serviceType, serviceKey);
    }
}
