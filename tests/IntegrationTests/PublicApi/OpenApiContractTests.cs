using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>
/// Reads each version's OpenAPI document and calls every documented GET (path parameters filled with an unknown id),
/// then every documented POST/PUT/PATCH/DELETE (an empty JSON object for a body): each answer's
/// status must be one the document lists for that operation, and an error must be a problem with a traceId.
/// </summary>
public sealed class OpenApiContractTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>, IAsyncLifetime
{
    private PublicApiFactory _unlimited = null!;

    /// <summary>An instance whose budgets these few hundred calls do not reach: a 429 would hide the status under test.</summary>
    public Task InitializeAsync()
    {
        _unlimited = api.NewInstance(new Dictionary<string, string?>
        {
            ["PublicApi:RateLimits:Plans:trial:PerKey"] = "1000000",
            ["PublicApi:RateLimits:Plans:trial:PerTenant"] = "1000000",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _unlimited.DisposeAsync();

    private HttpClient Client()
    {
        var client = _unlimited.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", api.TenantA.ApiKey);
        return client;
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Every_documented_GET_answers_with_a_documented_status(string version)
    {
        using var client = Client();
        var document = await client.GetFromJsonAsync<JsonElement>($"/openapi/{version}.json");
        var checkedCount = 0;
        foreach (var (path, method, operation) in Operations(document).Where(o => o.Method == "get"))
        {
            var response = await client.GetAsync(Fill(path));
            await AssertDocumentedAsync(path, method, operation, response);
            checkedCount++;
        }
        Assert.True(checkedCount >= 10, $"only {checkedCount} GET operations documented in {version}");
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Every_documented_write_answers_an_empty_body_with_a_documented_status(string version)
    {
        using var client = Client();
        var document = await client.GetFromJsonAsync<JsonElement>($"/openapi/{version}.json");
        var operations = Operations(document).Where(o => o.Method is "post" or "put" or "patch" or "delete").ToList();
        Assert.True(operations.Count >= 15, $"only {operations.Count} write operations documented in {version}");
        foreach (var (path, method, operation) in operations)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), Fill(path));
            if (method != "delete")
            {
                request.Content = JsonContent.Create(new { });
            }
            var response = await client.SendAsync(request);
            await AssertDocumentedAsync(path, method, operation, response);
        }
    }

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete")
                .Select(o => (path.Name, o.Name, o.Value)));

    private static string Fill(string path) => System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", Guid.NewGuid().ToString());

    private static async Task AssertDocumentedAsync(string path, string method, JsonElement operation, HttpResponseMessage response)
    {
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var documented = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToArray();
        Assert.True(documented.Contains(status) || documented.Contains("default"),
            $"{method.ToUpperInvariant()} {path} answered {status}; documented: {string.Join(", ", documented)}");
        if ((int)response.StatusCode >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.TryGetProperty("traceId", out _), $"{method.ToUpperInvariant()} {path}: a problem without traceId");
        }
    }
}
