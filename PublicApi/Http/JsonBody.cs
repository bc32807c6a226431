using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SaasAssistants.PublicApi.Tasks;

namespace SaasAssistants.PublicApi.Http;

/// <summary>
/// Reads a JSON body in the endpoint rather than by binding, so a wrong media type or malformed JSON is our 415/400
/// problem (as for tasks) and not an exception whose answer depends on the environment.
/// </summary>
internal static class JsonBody
{
    public static async Task<(T? Body, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, TaskProblems.UnsupportedMediaType());
        }

        try
        {
            var body = await request.ReadFromJsonAsync<T>(cancellationToken);
            return body is null ? (null, TaskProblems.MalformedJson(null)) : (body, null);
        }
        catch (JsonException ex)
        {
            return (null, TaskProblems.MalformedJson(ex.Path));
        }
    }
}
