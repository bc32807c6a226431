using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Knowledge;

/// <summary>
/// A document by URL is fetched on the tenant's behalf, from inside the deployment: outside Development a URL that
/// leads into a private network (loopback, RFC 1918, link-local such as a cloud's metadata service) is refused before
/// any connection is made, so a tenant cannot make the service read its own neighbours. Development allows it
/// (PublicApi's appsettings.Development.json; KnowledgeApiTests fetches a page from this machine that way).
/// </summary>
public sealed class KnowledgeUrlPolicyTests(KnowledgeFixture fixture) : IClassFixture<KnowledgeFixture>, IAsyncLifetime
{
    private KnowledgeApiFactory _production = null!;
    private WebApplication _site = null!;
    private int _sitePort;
    private int _siteRequests;

    public async Task InitializeAsync()
    {
        _production = new KnowledgeApiFactory(fixture.Database.AppConnectionString, await TestServers.Shared.GetRedisConnectionStringAsync(),
            KnowledgeFixture.MaxDocumentBytes, environment: "Production");
        // A real page on this machine, so a refusal cannot be mistaken for a page that is simply not there.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _site = builder.Build();
        _site.MapGet("/internal", () =>
        {
            Interlocked.Increment(ref _siteRequests);
            return Results.Content("<html><body><h1>Internal</h1><p>Secrets of the deployment.</p></body></html>", "text/html");
        });
        await _site.StartAsync();
        _sitePort = new Uri(_site.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
    }

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        await _production.DisposeAsync();
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/internal")]
    [InlineData("http://localhost:{port}/internal")]
    [InlineData("http://10.0.0.1:{port}/internal")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    public async Task Outside_development_a_url_into_a_private_network_is_refused_with_a_problem_and_nothing_is_fetched_or_stored(string url)
    {
        url = url.Replace("{port}", _sitePort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var tenant = fixture.TenantA;
        using var client = _production.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", tenant.Api.ApiKey);
        var documentsBefore = await DocumentCountAsync(tenant.KnowledgeBaseId);
        using var form = new MultipartFormDataContent { { new StringContent(url), "url" } };

        var response = await client.PostAsync($"/api/v1/knowledge-bases/{tenant.KnowledgeBaseId}/documents", form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("url_not_fetched", problem.GetProperty("code").GetString());
        Assert.Contains("is not a public address", problem.GetProperty("detail").GetString());
        Assert.True(problem.TryGetProperty("traceId", out _), problem.ToString());
        Assert.Equal(0, Volatile.Read(ref _siteRequests));
        Assert.Equal(documentsBefore, await DocumentCountAsync(tenant.KnowledgeBaseId));
    }

    [Fact]
    public async Task In_development_the_same_page_on_this_machine_is_fetched()
    {
        var tenant = fixture.TenantB;
        var client = fixture.Client(tenant);
        using var form = new MultipartFormDataContent { { new StringContent($"http://127.0.0.1:{_sitePort}/internal"), "url" } };

        var response = await client.PostAsync($"/api/v1/knowledge-bases/{tenant.KnowledgeBaseId}/documents", form);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, Volatile.Read(ref _siteRequests));
    }

    private Task<long> DocumentCountAsync(Guid knowledgeBaseId) =>
        fixture.Arrange.ScalarAsync<long>("SELECT count(*) FROM knowledge_documents WHERE knowledge_base_id = $1", knowledgeBaseId);
}
