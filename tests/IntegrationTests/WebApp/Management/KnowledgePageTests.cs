using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SaasAssistants.IntegrationTests.Database;
using SaasAssistants.IntegrationTests.Knowledge;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp.Management;

/// <summary>
/// The knowledge pages: an upload is indexed by the MessageProcessor's real task engine (in this process), the page's
/// JSON shows its progress to the end, and the search box runs the real hybrid search.
/// </summary>
public sealed class KnowledgePageTests(ManagementFixture app) : IClassFixture<ManagementFixture>
{
    private const string Faq = """
        # Entregas

        A Padaria Central entrega em Campinas e Valinhos, de terça a domingo, das 8h às 18h. O frete custa R$ 7.

        # Encomendas de bolo

        Bolos de aniversário precisam ser encomendados com dois dias de antecedência, pelo WhatsApp.
        """;

    private static async Task<Guid> CreateBaseAsync(BrowserClient browser, string name)
    {
        using var response = await ManagementForms.PostAsync(browser, "/knowledge", new Dictionary<string, string> { ["name"] = name }, json: true);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<HttpResponseMessage> UploadAsync(BrowserClient browser, Guid baseId, string? fileName, byte[]? content, string mediaType = "text/markdown")
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(await ManagementForms.TokenAsync(browser)), "__RequestVerificationToken" },
            { new StringContent("pt"), "language" },
        };
        if (fileName is not null)
        {
            var file = new ByteArrayContent(content!);
            file.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            form.Add(file, "file", fileName);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/knowledge/{baseId}/documents") { Content = form };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return await browser.Http.SendAsync(request);
    }

    [Fact]
    public async Task An_uploaded_document_is_indexed_by_the_worker_with_progress_to_the_end_and_the_search_finds_its_passage()
    {
        using var browser = await app.SignedInAsAdminAsync();
        var baseId = await CreateBaseAsync(browser, "Padaria FAQ");

        using var uploaded = await UploadAsync(browser, baseId, "faq.md", Encoding.UTF8.GetBytes(Faq));

        Assert.Equal(HttpStatusCode.Accepted, uploaded.StatusCode);
        var documentId = (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var queued = await browser.Http.GetFromJsonAsync<JsonElement>($"/knowledge/{baseId}/documents");
        Assert.Equal("queued", queued[0].GetProperty("status").GetString());
        Assert.Equal(1L, await app.Rows.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE type = 'knowledge.index' AND payload->>'documentId' = $1", documentId.ToString()));

        await using (await KnowledgeWorker.StartAsync(app.AppConnectionString, app.RabbitMQConnectionString, app.EncryptionKey))
        {
            await Eventually.TrueAsync(async () =>
                (await browser.Http.GetFromJsonAsync<JsonElement>($"/knowledge/{baseId}/documents"))[0].GetProperty("status").GetString() is "indexed" or "failed",
                TimeSpan.FromSeconds(60), "the document to be indexed");
        }

        var indexed = (await browser.Http.GetFromJsonAsync<JsonElement>($"/knowledge/{baseId}/documents"))[0];
        Assert.Equal(("indexed", 100), (indexed.GetProperty("status").GetString(), indexed.GetProperty("progressPercent").GetInt32()));
        Assert.True(indexed.GetProperty("chunkCount").GetInt32() >= 1);
        var page = await ManagementForms.PageAsync(browser, $"/knowledge/{baseId}?q={Uri.EscapeDataString("Vocês entregam em Valinhos?")}");
        Assert.Contains("data-testid=\"passage\"", page);
        Assert.Contains("entrega em Campinas e Valinhos", page);
    }

    [Fact]
    public async Task Bad_uploads_are_refused_with_problems_nothing_is_stored_and_another_tenant_s_base_is_not_found()
    {
        using var browser = await app.SignedInAsAdminAsync();
        var baseId = await CreateBaseAsync(browser, "Refusals");

        using var nothing = await UploadAsync(browser, baseId, null, null);
        using var binary = await UploadAsync(browser, baseId, "virus.exe", [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00], "application/octet-stream");
        using var first = await UploadAsync(browser, baseId, "same.md", Encoding.UTF8.GetBytes(Faq));
        using var duplicate = await UploadAsync(browser, baseId, "same-again.md", Encoding.UTF8.GetBytes(Faq));
        using var noName = await ManagementForms.PostAsync(browser, "/knowledge", new Dictionary<string, string> { ["name"] = "" }, json: true);

        Assert.Equal((HttpStatusCode.BadRequest, "no_file"), (nothing.StatusCode, (await nothing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "upload_rejected"), (binary.StatusCode, (await binary.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()));
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Conflict), (first.StatusCode, duplicate.StatusCode));
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.Equal(1L, await app.Rows.ScalarAsync<long>("SELECT count(*) FROM knowledge_documents WHERE knowledge_base_id = $1", baseId));

        var otherBase = Guid.CreateVersion7();
        await app.Rows.ScalarAsync<int>("""
            INSERT INTO knowledge_bases (id, tenant_id, workspace_id, name, embedding_model, embedding_dimensions)
            VALUES ($1, $2, $3, 'Their secrets', 'm', 384) RETURNING 1
            """, otherBase, app.Other.TenantId, app.Other.WorkspaceId);
        using var foreignPage = await browser.Http.GetAsync($"/knowledge/{otherBase}");
        using var foreignJson = await browser.Http.GetAsync($"/knowledge/{otherBase}/documents");
        using var foreignUpload = await UploadAsync(browser, otherBase, "x.md", Encoding.UTF8.GetBytes("# x\n\nsome text here"));
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (foreignPage.StatusCode, foreignJson.StatusCode, foreignUpload.StatusCode));
        Assert.DoesNotContain("Their secrets", await ManagementForms.PageAsync(browser, "/knowledge"));
    }
}
