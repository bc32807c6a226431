namespace SaasAssistants.WebApp.Security;

/// <summary>
/// Headers every CRM response carries: no other site may frame it (clickjacking of the agent's buttons), and the
/// browser must not guess content types (an uploaded file served as HTML). Set before the response starts.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "frame-ancestors 'none'";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        return next(context);
    }
}
