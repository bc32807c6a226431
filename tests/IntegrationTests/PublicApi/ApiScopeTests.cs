using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using SaasAssistants.PublicApi.Authentication;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>
/// Scopes per endpoint, read from each version's OpenAPI document: every operation under /api names exactly one scope,
/// and a key holding every scope but that one is refused with 403 naming it, before anything else is looked at.
/// </summary>
public sealed partial class ApiScopeTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Every_operation_names_its_scope_and_refuses_a_key_without_it(string version)
    {
        using var reader = api.Client(api.TenantA.ApiKey);
        var document = await reader.GetFromJsonAsync<JsonElement>($"/openapi/{version}.json");
        var keysWithout = new Dictionary<string, HttpClient>();
        var operations = document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete")
                .Select(o => (Path: path.Name, Method: o.Name, Operation: o.Value)))
            .ToList();
        Assert.True(operations.Count >= 20, $"only {operations.Count} operations in {version}");

        try
        {
            foreach (var (path, method, operation) in operations)
            {
                var scopes = operation.TryGetProperty("security", out var security)
                    ? security.EnumerateArray().Where(s => s.TryGetProperty("OAuth2", out _))
                        .SelectMany(s => s.GetProperty("OAuth2").EnumerateArray().Select(x => x.GetString()!)).ToList()
                    : [];
                Assert.True(scopes.Count == 1, $"{method.ToUpperInvariant()} {path} names {scopes.Count} scopes, not one");
                var scope = scopes[0];
                Assert.Contains(scope, ApiScopes.All);
                if (!keysWithout.TryGetValue(scope, out var client))
                {
                    var (key, _) = await api.Arrange.AddApiKeyAsync(api.TenantA.TenantId, scopes: [.. ApiScopes.All.Where(s => s != scope)]);
                    keysWithout[scope] = client = api.Client(key);
                }

                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), Fill(path));
                if (method is "post" or "put" or "patch")
                {
                    request.Content = JsonContent.Create(new { });
                }
                using var response = await client.SendAsync(request);

                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method.ToUpperInvariant()} {path} without {scope}: {(int)response.StatusCode}");
                var problem = await response.ReadProblemAsync(HttpStatusCode.Forbidden);
                Assert.Equal(scope, problem.GetProperty("requiredScope").GetString());
            }
        }
        finally
        {
            foreach (var client in keysWithout.Values)
            {
                client.Dispose();
            }
        }
    }

    private static string Fill(string path) => PathParameter().Replace(path, Guid.NewGuid().ToString());

    [GeneratedRegex("{[^}]+}")]
    private static partial Regex PathParameter();
}
