using Microsoft.Extensions.AI;
using SaasAssistants.Knowledge.Embeddings;
using Xunit;

namespace SaasAssistants.UnitTests.Knowledge;

/// <summary>The real in-process model (its weights ship in the package): no network, no key.</summary>
public class MiniLmEmbeddingGeneratorTests
{
    [Fact]
    public async Task Paraphrases_are_closer_than_unrelated_sentences_and_vectors_are_normalised()
    {
        using var generator = new MiniLmEmbeddingGenerator();

        var vectors = await generator.GenerateAsync(["When do you open on Saturday?", "What are your Saturday opening hours?", "The invoice was paid by credit card."]);

        Assert.All(vectors, v => Assert.Equal(384, v.Vector.Length));
        Assert.All(vectors, v => Assert.InRange(Norm(v.Vector.Span), 0.99, 1.01));
        var paraphrase = Cosine(vectors[0].Vector.Span, vectors[1].Vector.Span);
        var unrelated = Cosine(vectors[0].Vector.Span, vectors[2].Vector.Span);
        Assert.True(paraphrase > 0.6 && unrelated < 0.3, $"paraphrase {paraphrase}, unrelated {unrelated}");
        Assert.Equal(new EmbeddingModel("local/all-MiniLM-L6-v2", 384), EmbeddingModel.Of(generator));
    }

    private static double Norm(ReadOnlySpan<float> v)
    {
        double sum = 0;
        foreach (var x in v)
        {
            sum += x * x;
        }

        return Math.Sqrt(sum);
    }

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
        }

        return dot / (Norm(a) * Norm(b));
    }
}
