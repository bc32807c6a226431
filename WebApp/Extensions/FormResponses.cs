namespace SaasAssistants.WebApp.Extensions;

/// <summary>
/// How the management pages' form posts answer: a browser's form gets post/redirect/get back to its page (with the
/// refusal's code in the query, for the page to explain in the user's language); a script that asks for JSON gets the
/// result, or an RFC 7807 problem whose <c>code</c> and <c>field</c> name what was wrong.
/// </summary>
public static class FormResponses
{
    public static bool WantsJson(this HttpContext context)
        => context.Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);

    public static IResult Done(HttpContext context, string page, object? json = null)
        => context.WantsJson() ? (json is null ? Results.NoContent() : Results.Ok(json)) : Results.LocalRedirect(page);

    public static IResult Invalid(HttpContext context, string page, string code, string? field = null, string? detail = null)
        => Refused(context, page, StatusCodes.Status400BadRequest, code, field, detail);

    public static IResult Conflict(HttpContext context, string page, string code, string? detail = null)
        => Refused(context, page, StatusCodes.Status409Conflict, code, null, detail);

    public static IResult NotFound() => Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: "Not found.");

    private static IResult Refused(HttpContext context, string page, int status, string code, string? field, string? detail)
    {
        if (context.WantsJson())
        {
            return Results.Problem(statusCode: status, detail: detail ?? code,
                extensions: new Dictionary<string, object?> { ["code"] = code, ["field"] = field });
        }

        var separator = page.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Results.LocalRedirect($"{page}{separator}error={Uri.EscapeDataString(code)}");
    }
}
