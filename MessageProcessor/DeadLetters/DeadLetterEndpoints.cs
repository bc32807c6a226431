using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using SaasAssistants.MessageProcessor.Extensions;

namespace SaasAssistants.MessageProcessor.DeadLetters;

/// <summary>
/// The admin action: <c>POST /admin/dead-letters/replay?queue=...&amp;max=...</c> with header <c>X-Admin-Token</c>
/// (<c>Admin:Token</c>; without one configured the endpoint refuses everything). The command-line twin is
/// <c>MessageProcessor --replay-dead-letters [queue]</c>.
/// </summary>
public static class DeadLetterEndpoints
{
    public const string TokenHeader = "X-Admin-Token";

    public static IEndpointRouteBuilder MapDeadLetterEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/admin/dead-letters/replay", ReplayAsync);
        return app;
    }

    private static async Task<Results<Ok<ReplayResult>, ProblemHttpResult>> ReplayAsync(
        HttpContext http, DeadLetterReplayer replayer, IConfiguration configuration, string? queue, int? max, CancellationToken cancellationToken)
    {
        var expected = configuration["Admin:Token"];
        var given = http.Request.Headers[TokenHeader].ToString();
        if (string.IsNullOrEmpty(expected) || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given)))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "An admin token is required.");
        }

        var count = max ?? 1000;
        if (count is < 1 or > 100_000)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "max must be between 1 and 100000.");
        }

        var name = string.IsNullOrWhiteSpace(queue) ? ApplicationServiceExtensions.InboundMessagesQueue : queue;
        if (!ApplicationServiceExtensions.ReplayableQueues.Contains(name))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"Queue '{name}' is not one of this service's queues.");
        }

        return TypedResults.Ok(new ReplayResult(name, await replayer.ReplayAsync(name, count, cancellationToken)));
    }
}

public sealed record ReplayResult(string Queue, int Replayed);
