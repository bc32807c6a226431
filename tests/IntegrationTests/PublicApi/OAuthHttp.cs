using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>POST /oauth/token as a partner's OAuth library would call it.</summary>
public static class OAuthHttp
{
    public static string ClientId(string apiKey) => apiKey.Split('_', 3)[1];

    public static Task<HttpResponseMessage> RequestTokenAsync(this HttpClient client, string apiKey, string? scope = null,
        string grantType = "client_credentials", string? clientId = null)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = grantType,
            ["client_id"] = clientId ?? ClientId(apiKey),
            ["client_secret"] = apiKey,
        };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        return client.PostAsync("/oauth/token", new FormUrlEncodedContent(form));
    }

    /// <summary>A token for the key, asserting the 200.</summary>
    public static async Task<string> TokenAsync(this HttpClient client, string apiKey, string? scope = null)
    {
        var response = await client.RequestTokenAsync(apiKey, scope);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    public static HttpClient WithBearer(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The JWT's header (kid, alg), decoded.</summary>
    public static JsonElement Header(string token)
        => JsonSerializer.Deserialize<JsonElement>(Convert.FromBase64String(Pad(token.Split('.')[0])));

    public static JsonElement Payload(string token)
        => JsonSerializer.Deserialize<JsonElement>(Convert.FromBase64String(Pad(token.Split('.')[1])));

    private static string Pad(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - s.Length % 4) % 4);
    }
}
