using System.Net;
using System.Net.Http.Headers;

namespace SaasAssistants.IntegrationTests.WebApp.Management;

/// <summary>Posts the management pages' forms as a browser does (antiforgery token from a page), or as a script asking for JSON.</summary>
public static class ManagementForms
{
    /// <summary>An antiforgery token for this browser's user (every CRM page carries one in its sign-out form).</summary>
    public static async Task<string> TokenAsync(BrowserClient browser)
        => BrowserClient.AntiforgeryToken(await browser.Http.GetStringAsync("/conversations"));

    public static async Task<HttpResponseMessage> PostAsync(BrowserClient browser, string path, IEnumerable<KeyValuePair<string, string>>? fields = null,
        bool json = false, bool withToken = true)
    {
        var form = new List<KeyValuePair<string, string>>(fields ?? []);
        if (withToken)
        {
            form.Add(new("__RequestVerificationToken", await TokenAsync(browser)));
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (json)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }
        return await browser.Http.SendAsync(request);
    }

    public static async Task<string> PageAsync(BrowserClient browser, string path)
    {
        using var response = await browser.Http.GetAsync(path);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode}");
        }
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }
}
