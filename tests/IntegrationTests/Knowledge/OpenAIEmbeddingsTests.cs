using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.Knowledge;
using SaasAssistants.Knowledge.Embeddings;
using Xunit;

namespace SaasAssistants.IntegrationTests.Knowledge;

/// <summary>
/// Knowledge:Embeddings:Provider=openai against a local server speaking OpenAI's embeddings wire format, so the real
/// client code (OpenAI SDK through Microsoft.Extensions.AI) runs: the request asks for 384 dimensions with the key.
/// </summary>
public class OpenAIEmbeddingsTests
{
    [Fact]
    public async Task The_openai_provider_posts_to_the_embeddings_endpoint_asking_for_384_dimensions()
    {
        JsonElement? request = null;
        string? authorization = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var server = builder.Build();
        server.MapPost("/v1/embeddings", async (HttpContext context) =>
        {
            authorization = context.Request.Headers.Authorization;
            request = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body);
            var inputs = request.Value.GetProperty("input").GetArrayLength();
            return Results.Json(new
            {
                @object = "list",
                data = Enumerable.Range(0, inputs).Select(i => new { @object = "embedding", index = i, embedding = Enumerable.Repeat(0.05f * (i + 1), 384) }),
                model = "text-embedding-3-small",
                usage = new { prompt_tokens = 7, total_tokens = 7 },
            });
        });
        await server.StartAsync();
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        using var generator = EmbeddingGeneratorFactory.Create(new KnowledgeEmbeddingOptions
        {
            Provider = "openai", Model = "text-embedding-3-small", ApiKey = "sk-test", Endpoint = new Uri(address + "/v1"),
        });
        var embeddings = await generator.GenerateAsync(["opening hours", "delivery fee"]);

        Assert.Equal(2, embeddings.Count);
        Assert.Equal(384, embeddings[1].Vector.Length);
        Assert.Equal(0.1f, embeddings[1].Vector.Span[0], 3);
        Assert.Equal("Bearer sk-test", authorization);
        Assert.Equal("text-embedding-3-small", request!.Value.GetProperty("model").GetString());
        Assert.Equal(384, request.Value.GetProperty("dimensions").GetInt32());
        Assert.Equal(["opening hours", "delivery fee"], request.Value.GetProperty("input").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(new EmbeddingModel("openai/text-embedding-3-small", 384), EmbeddingModel.Of(generator));
    }

    [Fact]
    public void An_openai_provider_without_a_key_fails_at_start_with_a_clear_message()
    {
        var error = Assert.Throws<InvalidOperationException>(() => EmbeddingGeneratorFactory.Create(new KnowledgeEmbeddingOptions { Provider = "openai", Model = "m" }));

        Assert.Contains("Knowledge:Embeddings:Model and ApiKey", error.Message);
    }
}
