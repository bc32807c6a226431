using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SaasAssistants.ServiceDefaults.Correlation;

/// <summary>
/// Gives every request a correlation id (the caller's when sane), returns it in the response and makes it
/// ambient for logs, traces, problem details and anything the request sends onwards.
/// </summary>
internal sealed class CorrelationIdMiddleware(RequestDelegate next, ILogger<CorrelationIdMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var correlationId = CorrelationId.AcceptOrCreate(context.Request.Headers[CorrelationContext.HeaderName]);

        CorrelationContext.Current = correlationId;
        Activity.Current?.SetTag(CorrelationContext.ActivityTagName, correlationId);

        // OnStarting rather than setting it now: the exception handler clears headers before writing its 500.
        context.Response.OnStarting(static state =>
        {
            var (response, id) = ((HttpResponse, string))state;
            response.Headers[CorrelationContext.HeaderName] = id;
            return Task.CompletedTask;
        }, (context.Response, correlationId));

        using (CorrelationLogScope.Begin(logger, correlationId))
        {
            await next(context);
        }
    }
}
