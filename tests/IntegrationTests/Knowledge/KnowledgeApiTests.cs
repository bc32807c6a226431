using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.Database.Tenancy;
using SaasAssistants.IntegrationTests.TaskEngine.Support;
using SaasAssistants.Knowledge.Search;
using Xunit;

namespace SaasAssistants.IntegrationTests.Knowledge;

/// <summary>
/// The knowledge API end to end: upload through the PublicApi, indexing by the knowledge.index task in a real worker,
/// then the hybrid search, all on real PostgreSQL (pgvector), RabbitMQ and Redis.
/// </summary>
public class KnowledgeApiTests(KnowledgeFixture fixture) : IClassFixture<KnowledgeFixture>
{
    [Fact]
    public async Task A_markdown_upload_is_queued_indexed_with_progress_and_found_by_search_with_its_source()
    {
        var client = fixture.Client(fixture.TenantA);
        var kb = fixture.TenantA.KnowledgeBaseId;

        var response = await KnowledgeFixture.UploadAsync(client, kb, "shipping.md", KnowledgeDocuments.DeliveryMarkdown());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("queued", accepted.GetProperty("status").GetString());
        Assert.Equal("md", accepted.GetProperty("format").GetString());
        var documentId = accepted.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/knowledge-bases/{kb}/documents/{documentId}", response.Headers.Location?.OriginalString);

        var indexed = await KnowledgeFixture.WaitUntilIndexedAsync(client, kb, documentId);
        Assert.Equal("indexed", indexed.GetProperty("status").GetString());
        Assert.True(indexed.GetProperty("chunkCount").GetInt32() >= 2, indexed.ToString());
        var progress = indexed.GetProperty("progress");
        Assert.Equal(100, progress.GetProperty("percent").GetInt32());
        Assert.Equal(progress.GetProperty("chunksTotal").GetInt32(), progress.GetProperty("chunksDone").GetInt32());
        Assert.Equal("en", indexed.GetProperty("language").GetString());

        var passages = await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/knowledge-bases/{kb}/search?q=what is the delivery fee");
        var top = passages![0];
        Assert.Contains("USD 4.90", top.GetProperty("text").GetString());
        Assert.Equal("shipping.md", top.GetProperty("source").GetProperty("documentName").GetString());
        Assert.Equal("Shipping policy > Delivery", top.GetProperty("source").GetProperty("headingPath").GetString());
        Assert.InRange(top.GetProperty("score").GetDouble(), 0.01, 1.0);
    }

    [Fact]
    public async Task A_portuguese_question_finds_a_portuguese_document_through_full_text()
    {
        var client = fixture.Client(fixture.TenantA);
        var kb = fixture.TenantA.KnowledgeBaseId;
        var accepted = await (await KnowledgeFixture.UploadAsync(client, kb, "horario.txt", KnowledgeDocuments.HoursPortugueseText())).Content.ReadFromJsonAsync<JsonElement>();
        var indexed = await KnowledgeFixture.WaitUntilIndexedAsync(client, kb, accepted.GetProperty("id").GetGuid());
        Assert.Equal("pt", indexed.GetProperty("language").GetString());

        var passages = await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/knowledge-bases/{kb}/search?q=" + Uri.EscapeDataString("Vocês abrem aos sábados?"));

        Assert.Equal("horario.txt", passages![0].GetProperty("source").GetProperty("documentName").GetString());
        Assert.Contains("sábados", passages[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Pdf_and_docx_documents_are_read_with_their_pages_and_headings()
    {
        var client = fixture.Client(fixture.TenantA);
        var kb = fixture.TenantA.KnowledgeBaseId;
        var pdf = KnowledgeDocuments.Pdf("Warranty covers manufacturing defects for twelve months.", "Battery replacements cost 39 dollars at any store.");
        var docx = KnowledgeDocuments.Docx(("Heading1", "Gift cards"), (null, "Gift cards never expire and can be used online or in store."));

        var pdfDoc = await (await KnowledgeFixture.UploadAsync(client, kb, "warranty.pdf", pdf)).Content.ReadFromJsonAsync<JsonElement>();
        var docxDoc = await (await KnowledgeFixture.UploadAsync(client, kb, "cards.docx", docx)).Content.ReadFromJsonAsync<JsonElement>();
        var pdfIndexed = await KnowledgeFixture.WaitUntilIndexedAsync(client, kb, pdfDoc.GetProperty("id").GetGuid());
        await KnowledgeFixture.WaitUntilIndexedAsync(client, kb, docxDoc.GetProperty("id").GetGuid());

        Assert.Equal(2, pdfIndexed.GetProperty("progress").GetProperty("pagesTotal").GetInt32());
        var battery = await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/knowledge-bases/{kb}/search?q=battery replacement price");
        Assert.Equal("warranty.pdf", battery![0].GetProperty("source").GetProperty("documentName").GetString());
        Assert.Equal(2, battery[0].GetProperty("source").GetProperty("page").GetInt32());
        var cards = await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/knowledge-bases/{kb}/search?q=do gift cards expire");
        Assert.Equal("cards.docx", cards![0].GetProperty("source").GetProperty("documentName").GetString());
        Assert.Equal("Gift cards", cards[0].GetProperty("source").GetProperty("headingPath").GetString());
    }

    public static TheoryData<string, string?, byte[], HttpStatusCode, string> BadFiles => new()
    {
        { "empty.txt", "text/plain", [], HttpStatusCode.BadRequest, "empty_file" },
        { "blank.md", "text/markdown", "   \n\n  "u8.ToArray(), HttpStatusCode.BadRequest, "empty_file" },
        { "photo.txt", "text/plain", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52], HttpStatusCode.UnprocessableEntity, "binary_content" },
        { "setup.exe", "application/octet-stream", [0x4D, 0x5A, 0x90, 0x00], HttpStatusCode.UnsupportedMediaType, "unsupported_type" },
        { "fake.pdf", "application/pdf", "this is not a pdf"u8.ToArray(), HttpStatusCode.UnprocessableEntity, "content_mismatch" },
        { "broken.pdf", "application/pdf", "%PDF-1.7\n garbage without objects"u8.ToArray(), HttpStatusCode.UnprocessableEntity, "unreadable_document" },
        { "broken.docx", null, "PK\u0003\u0004 not really a zip"u8.ToArray(), HttpStatusCode.UnprocessableEntity, "unreadable_document" },
        { "huge.txt", "text/plain", Encoding.UTF8.GetBytes(new string('a', (int)KnowledgeFixture.MaxDocumentBytes + 1)), HttpStatusCode.RequestEntityTooLarge, "file_too_large" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_gets_a_clear_problem_and_stores_nothing(string name, string? mediaType, byte[] content, HttpStatusCode status, string code)
    {
        var client = fixture.Client(fixture.TenantB);
        var before = await DocumentCountAsync(fixture.TenantB.KnowledgeBaseId);

        var response = await KnowledgeFixture.UploadAsync(client, fixture.TenantB.KnowledgeBaseId, name, content, mediaType);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.True(problem.TryGetProperty("traceId", out _), problem.ToString());
        Assert.Equal(before, await DocumentCountAsync(fixture.TenantB.KnowledgeBaseId));
    }

    [Fact]
    public async Task A_body_that_is_not_a_form_is_415()
    {
        var client = fixture.Client(fixture.TenantB);

        var response = await client.PostAsync($"/api/v1/knowledge-bases/{fixture.TenantB.KnowledgeBaseId}/documents",
            new StringContent("{\"file\":\"x\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("unsupported_media_type", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_same_content_twice_is_a_duplicate_naming_the_first_document()
    {
        var client = fixture.Client(fixture.TenantB);
        var content = Encoding.UTF8.GetBytes("Our loyalty programme gives one point per dollar spent. " + Guid.NewGuid());
        var first = await (await KnowledgeFixture.UploadAsync(client, fixture.TenantB.KnowledgeBaseId, "loyalty.txt", content)).Content.ReadFromJsonAsync<JsonElement>();

        var second = await KnowledgeFixture.UploadAsync(client, fixture.TenantB.KnowledgeBaseId, "loyalty-copy.txt", content);

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("duplicate_document", problem.GetProperty("code").GetString());
        Assert.Equal(first.GetProperty("id").GetGuid(), problem.GetProperty("documentId").GetGuid());
    }

    [Fact]
    public async Task Another_tenants_knowledge_base_is_not_found_and_its_passages_never_show()
    {
        var clientA = fixture.Client(fixture.TenantA);
        var clientB = fixture.Client(fixture.TenantB);
        var secret = Encoding.UTF8.GetBytes("The vault combination of tenant A is 7741 and only staff may know it.");
        var doc = await (await KnowledgeFixture.UploadAsync(clientA, fixture.TenantA.KnowledgeBaseId, "vault.txt", secret)).Content.ReadFromJsonAsync<JsonElement>();
        await KnowledgeFixture.WaitUntilIndexedAsync(clientA, fixture.TenantA.KnowledgeBaseId, doc.GetProperty("id").GetGuid());

        var kbA = fixture.TenantA.KnowledgeBaseId;
        Assert.Equal(HttpStatusCode.NotFound, (await clientB.GetAsync($"/api/v1/knowledge-bases/{kbA}/documents")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clientB.GetAsync($"/api/v1/knowledge-bases/{kbA}/documents/{doc.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clientB.GetAsync($"/api/v1/knowledge-bases/{kbA}/search?q=vault combination")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await KnowledgeFixture.UploadAsync(clientB, kbA, "x.txt", "hello there"u8.ToArray())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clientB.DeleteAsync($"/api/v1/knowledge-bases/{kbA}/documents/{doc.GetProperty("id").GetGuid()}")).StatusCode);
        var basesOfB = await clientB.GetFromJsonAsync<JsonElement[]>("/api/v1/knowledge-bases");
        Assert.NotNull(basesOfB);
        Assert.Equal([fixture.TenantB.KnowledgeBaseId], basesOfB.Select(b => b.GetProperty("id").GetGuid()));
        Assert.Equal([fixture.TenantB.AssistantId], basesOfB[0].GetProperty("assistantIds").EnumerateArray().Select(a => a.GetGuid()));

        // The search service itself, asked for A's knowledge base in B's scope, finds nothing.
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ITenantContext>().SetTenant(fixture.TenantB.Api.TenantId);
        var search = scope.ServiceProvider.GetRequiredService<IKnowledgeSearch>();
        Assert.Empty(await search.SearchAsync(new KnowledgeQuery("vault combination", [kbA]), CancellationToken.None));
    }

    [Fact]
    public async Task Deleting_a_document_removes_its_chunks_and_a_cached_search_stops_returning_it()
    {
        var client = fixture.Client(fixture.TenantB);
        var kb = fixture.TenantB.KnowledgeBaseId;
        var doc = await (await KnowledgeFixture.UploadAsync(client, kb, "parking.txt",
            Encoding.UTF8.GetBytes("Free parking for customers is available behind the building on Elm Street."))).Content.ReadFromJsonAsync<JsonElement>();
        var documentId = doc.GetProperty("id").GetGuid();
        await KnowledgeFixture.WaitUntilIndexedAsync(client, kb, documentId);
        const string question = "/search?q=where can I park";
        var before = await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/knowledge-bases/{kb}{question}");
        Assert.Contains(before!, p => p.GetProperty("source").GetProperty("documentId").GetGuid() == documentId);

        var deleted = await client.DeleteAsync($"/api/v1/knowledge-bases/{kb}/documents/{documentId}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(0L, await fixture.Arrange.ScalarAsync<long>("SELECT count(*) FROM knowledge_chunks WHERE document_id = $1", documentId));
        var after = await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/knowledge-bases/{kb}{question}");
        Assert.DoesNotContain(after!, p => p.GetProperty("source").GetProperty("documentId").GetGuid() == documentId);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/knowledge-bases/{kb}/documents/{documentId}")).StatusCode);
    }

    [Fact]
    public async Task A_web_page_by_url_is_fetched_and_indexed_with_its_address()
    {
        await using var site = await StartSiteAsync("""
            <html><head><title>FAQ</title><script>var tracking = "ignore me";</script></head>
            <body><nav>Home | Shop</nav><h1>FAQ</h1><h2>Payments</h2><p>We accept Pix, boleto and all major credit cards.</p></body></html>
            """);
        var client = fixture.Client(fixture.TenantB);
        var kb = fixture.TenantB.KnowledgeBaseId;
        using var form = new MultipartFormDataContent { { new StringContent(site.Url + "faq"), "url" } };

        var response = await client.PostAsync($"/api/v1/knowledge-bases/{kb}/documents", form);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var doc = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("html", doc.GetProperty("format").GetString());
        Assert.Equal(site.Url + "faq", doc.GetProperty("sourceUrl").GetString());
        await KnowledgeFixture.WaitUntilIndexedAsync(client, kb, doc.GetProperty("id").GetGuid());
        var passages = await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/knowledge-bases/{kb}/search?q=can I pay with boleto");
        Assert.Contains("Pix, boleto", passages![0].GetProperty("text").GetString());
        Assert.Equal(site.Url + "faq", passages[0].GetProperty("source").GetProperty("url").GetString());
        Assert.DoesNotContain(passages, p => p.GetProperty("text").GetString()!.Contains("ignore me"));
    }

    [Fact]
    public async Task A_url_that_cannot_be_fetched_is_422()
    {
        var client = fixture.Client(fixture.TenantB);
        using var form = new MultipartFormDataContent { { new StringContent("ftp://example.com/file.txt"), "url" } };

        var response = await client.PostAsync($"/api/v1/knowledge-bases/{fixture.TenantB.KnowledgeBaseId}/documents", form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("url_not_fetched", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Replacing_a_document_reindexes_it_and_search_finds_the_new_content_only()
    {
        var client = fixture.Client(fixture.TenantB);
        var kb = fixture.TenantB.KnowledgeBaseId;
        var doc = await (await KnowledgeFixture.UploadAsync(client, kb, "pickup.txt",
            Encoding.UTF8.GetBytes("Store pickup is available at the Pinheiros shop from 10 am."))).Content.ReadFromJsonAsync<JsonElement>();
        var documentId = doc.GetProperty("id").GetGuid();
        await KnowledgeFixture.WaitUntilIndexedAsync(client, kb, documentId);
        Assert.Contains("Pinheiros", (await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/knowledge-bases/{kb}/search?q=store pickup"))![0].GetProperty("text").GetString());

        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes("Store pickup moved to the Moema shop, from 11 am.")), "file", "pickup.txt" } };
        var replaced = await client.PutAsync($"/api/v1/knowledge-bases/{kb}/documents/{documentId}", form);

        Assert.Equal(HttpStatusCode.Accepted, replaced.StatusCode);
        Assert.Equal("queued", (await replaced.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        await Wait.UntilAsync(async () => (await client.GetFromJsonAsync<JsonElement>($"/api/v1/knowledge-bases/{kb}/documents/{documentId}")).GetProperty("status").GetString() == "indexed"
            && await fixture.Arrange.ScalarAsync<long>("SELECT count(*) FROM knowledge_chunks WHERE document_id = $1 AND content LIKE '%Moema%'", documentId) == 1,
            TimeSpan.FromSeconds(60), "the new content to be indexed");
        var passages = await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/knowledge-bases/{kb}/search?q=store pickup");
        Assert.Contains("Moema", passages![0].GetProperty("text").GetString());
        Assert.DoesNotContain(passages, p => p.GetProperty("text").GetString()!.Contains("Pinheiros"));
    }

    [Fact]
    public async Task Search_without_a_query_is_400()
    {
        var response = await fixture.Client(fixture.TenantB).GetAsync($"/api/v1/knowledge-bases/{fixture.TenantB.KnowledgeBaseId}/search?q=");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("query_required", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_Idempotency_Key_replays_the_first_upload_instead_of_a_duplicate_and_refuses_another_file()
    {
        var client = fixture.Client(fixture.TenantB);
        var kb = fixture.TenantB.KnowledgeBaseId;
        var content = Encoding.UTF8.GetBytes("Returns are accepted within thirty days with the receipt. " + Guid.NewGuid());
        var other = Encoding.UTF8.GetBytes("Exchanges need the original packaging. " + Guid.NewGuid());
        var key = "upload-" + Guid.NewGuid();
        var before = await DocumentCountAsync(kb);

        using var first = await UploadWithKeyAsync(client, kb, "returns.txt", content, key);
        using var retry = await UploadWithKeyAsync(client, kb, "returns.txt", content, key);
        using var otherFile = await UploadWithKeyAsync(client, kb, "exchanges.txt", other, key);
        using var badKey = await UploadWithKeyAsync(client, kb, "exchanges.txt", other, "bad key with spaces");

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, retry.StatusCode));
        var created = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(created.GetProperty("id").GetGuid(), (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherFile.StatusCode);
        Assert.Equal("application/problem+json", otherFile.Content.Headers.ContentType?.MediaType);
        var reused = await otherFile.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("idempotency_key_reused", reused.GetProperty("code").GetString());
        Assert.True(reused.TryGetProperty("traceId", out _));
        Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);
        Assert.True((await badKey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        // One document and one index task: the retry stored nothing, and neither did the refused requests.
        Assert.Equal(before + 1, await DocumentCountAsync(kb));
        Assert.Equal(1L, await fixture.Arrange.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE type = 'knowledge.index' AND payload->>'documentId' = $1",
            created.GetProperty("id").GetGuid().ToString()));
    }

    private static async Task<HttpResponseMessage> UploadWithKeyAsync(HttpClient client, Guid knowledgeBaseId, string fileName, byte[] content, string key)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        form.Add(file, "file", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/knowledge-bases/{knowledgeBaseId}/documents") { Content = form };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private Task<long> DocumentCountAsync(Guid knowledgeBaseId) =>
        fixture.Arrange.ScalarAsync<long>("SELECT count(*) FROM knowledge_documents WHERE knowledge_base_id = $1", knowledgeBaseId);

    private static async Task<TestSite> StartSiteAsync(string html)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/faq", () => Results.Content(html, "text/html; charset=utf-8"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestSite(app, address.TrimEnd('/') + "/");
    }

    private sealed record TestSite(WebApplication App, string Url) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
