using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>Calls and checks the task API's tests share.</summary>
public static class TasksHttp
{
    public const string TasksPath = "/api/v1/tasks";

    /// <summary>A body that passes validation.</summary>
    public static object ValidBody(string type = "ai.generate", int priority = 0, object? payload = null)
        => new { type, priority, payload = payload ?? new { prompt = "Olá, tudo bem?" } };

    /// <summary>A message.send task for a message id (the worker would look the message up).</summary>
    public static object MessageSendBody(Guid? messageId = null)
        => new { type = "message.send", priority = 0, payload = new { messageId = messageId ?? Guid.NewGuid() } };

    public static Task<HttpResponseMessage> PostTaskAsync(this HttpClient client, object body, string? idempotencyKey = null)
        => client.PostTaskRawAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), idempotencyKey);

    public static Task<HttpResponseMessage> PostTaskRawAsync(this HttpClient client, string json, string? idempotencyKey = null,
        string mediaType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, TasksPath)
        {
            Content = new StringContent(json, Encoding.UTF8, mediaType),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    /// <summary>Creates a task and returns its id, asserting the 202.</summary>
    public static async Task<Guid> CreateTaskAsync(this HttpClient client, object? body = null, string? idempotencyKey = null)
    {
        var response = await client.PostTaskAsync(body ?? ValidBody(), idempotencyKey);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Asserts an application/problem+json response of the status, with a traceId, and returns its body.</summary>
    public static async Task<JsonElement> ReadProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        return problem;
    }

    public static string? TotalCount(this HttpResponseMessage response)
        => response.Headers.TryGetValues("X-Total-Count", out var values) ? Assert.Single(values) : null;

    public static Guid[] Ids(this JsonElement array) => array.EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToArray();
}
