namespace SaasAssistants.PublicApi.Authentication;

internal static class AuthenticationProblems
{
    /// <summary>403 for a caller that is authenticated but lacks the endpoint's scope: the scope is named, so the fix is clear.</summary>
    public static async Task WriteForbiddenAsync(HttpContext context, IProblemDetailsService problemDetails)
    {
        var required = context.Items[ScopeAuthorizationHandler.MissingScopeItem] as string;
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Forbidden",
                Detail = required is null ? "The credential does not allow this request." : $"The credential lacks the scope {required}.",
                Extensions = { ["code"] = "insufficient_scope", ["requiredScope"] = required },
            },
        });
    }
}
