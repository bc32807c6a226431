using Microsoft.AspNetCore.Http.HttpResults;
using SaasAssistants.Database.Conversations;

namespace SaasAssistants.PublicApi.Conversations;

/// <summary>An agent action's refusal as problem+json: 400 naming the field, 404, or 409 with the state's reason; always with a code.</summary>
internal static class AgentActionProblems
{
    public static ProblemHttpResult From(AgentActionResult result)
    {
        if (result.Status == AgentActionStatus.Invalid)
        {
            var validation = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [result.Field ?? "body"] = [result.Detail ?? "is not valid."] })
            {
                Status = StatusCodes.Status400BadRequest,
            };
            validation.Extensions["code"] = result.Error;
            return TypedResults.Problem(validation);
        }
        var extensions = new Dictionary<string, object?> { ["code"] = result.Error };
        if (result.Conversation is { } conversation)
        {
            extensions["conversationId"] = conversation.Id;
        }
        return TypedResults.Problem(statusCode: result.Status == AgentActionStatus.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict,
            detail: result.Detail, extensions: extensions);
    }
}
