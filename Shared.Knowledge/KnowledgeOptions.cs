namespace SaasAssistants.Knowledge;

/// <summary>The <c>Knowledge</c> configuration section.</summary>
public sealed class KnowledgeOptions
{
    public const string SectionName = "Knowledge";

    /// <summary>Largest upload or fetched page, in bytes.</summary>
    public long MaxDocumentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Fetching a web page by URL: how long to wait for it.</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Whether a URL may point into a private network (loopback, 10/8, 192.168/16, link-local...). Off by default:
    /// a fetch on a tenant's behalf must not reach the deployment's own internal services. PublicApi's
    /// appsettings.Development.json turns it on, so a developer can add a page served on their own machine.
    /// </summary>
    public bool AllowPrivateNetworkUrls { get; set; }

    /// <summary>A chunk's size in tokens (cl100k); MiniLM reads up to 256 word pieces, which this stays under.</summary>
    public int ChunkTokens { get; set; } = 180;

    /// <summary>Tokens repeated from the end of a chunk at the start of the next when a section is split.</summary>
    public int ChunkOverlapTokens { get; set; } = 30;

    /// <summary>Chunks embedded per call (and per progress update).</summary>
    public int EmbeddingBatchSize { get; set; } = 16;

    public KnowledgeEmbeddingOptions Embeddings { get; set; } = new();

    public KnowledgeSearchOptions Search { get; set; } = new();
}

/// <summary><c>Knowledge:Embeddings</c>: the built-in model unless an OpenAI-compatible endpoint is configured.</summary>
public sealed class KnowledgeEmbeddingOptions
{
    /// <summary><c>local</c> (in-process all-MiniLM-L6-v2, no network) or <c>openai</c> (any OpenAI-compatible endpoint).</summary>
    public string Provider { get; set; } = "local";

    /// <summary>For <c>openai</c>: the model, e.g. text-embedding-3-small (asked for 384 dimensions, the column's size).</summary>
    public string? Model { get; set; }

    public Uri? Endpoint { get; set; }

    public string? ApiKey { get; set; }
}

/// <summary><c>Knowledge:Search</c>: how the two rankings are fused and what is good enough to return.</summary>
public sealed class KnowledgeSearchOptions
{
    /// <summary>Passages returned by default.</summary>
    public int Limit { get; set; } = 5;

    /// <summary>Candidates taken from each ranking (vector and full text) before fusing.</summary>
    public int Candidates { get; set; } = 40;

    /// <summary>Reciprocal rank fusion's k: score = Σ 1/(k + rank).</summary>
    public int RrfK { get; set; } = 60;

    /// <summary>A vector candidate below this cosine similarity is not a candidate (it only matched by being nearest).</summary>
    public double MinSimilarity { get; set; } = 0.25;

    /// <summary>Threshold on the fused score, normalised to 0..1 (1 = first in both rankings, 0.5 = first in one).</summary>
    public double MinScore { get; set; }

    /// <summary>HNSW's search breadth: higher finds more of the true nearest neighbours, slower.</summary>
    public int EfSearch { get; set; } = 100;

    /// <summary>How long a cached result lives; a change to the knowledge base invalidates it earlier.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromMinutes(10);
}
