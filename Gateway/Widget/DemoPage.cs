using System.Net;

namespace SaasAssistants.Gateway.Widget;

/// <summary>
/// GET /demo: a stand-in for a tenant's own website with the widget embedded by its one script tag, for the demo
/// channel (configuration Seed:WebChannelToken, which the AppHost sets) or any channel given as ?channel=.
/// </summary>
public static class DemoPage
{
    public static IEndpointRouteBuilder MapDemoPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/demo", (string? channel, IConfiguration configuration) =>
        {
            var token = channel ?? configuration["Seed:WebChannelToken"];
            if (string.IsNullOrWhiteSpace(token))
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No demo channel is configured.",
                    detail: "Pass ?channel=<web channel token> or set Seed:WebChannelToken.");
            }

            return Results.Content(Render(WebUtility.HtmlEncode(token)), "text/html; charset=utf-8");
        }).ExcludeFromDescription();
        return app;
    }

    private static string Render(string token) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
          <title>Demo Company — web chat demo</title>
          <style>
            body { font-family: system-ui, sans-serif; margin: 0; color: #1f2937; background: #f9fafb; }
            header { background: #111827; color: #fff; padding: 24px 40px; }
            main { max-width: 720px; padding: 32px 40px; line-height: 1.6; }
            code { background: #e5e7eb; padding: 2px 6px; border-radius: 4px; font-size: 13px; word-break: break-all; }
          </style>
        </head>
        <body>
          <header><h1>Demo Company</h1><p>Fresh bread, cakes and coffee since 1998.</p></header>
          <main>
            <h2>Talk to our assistant</h2>
            <p>This page stands in for a customer's website. The chat in the corner is the SaasAssistants widget,
               embedded with one tag:</p>
            <p><code>&lt;script src="/widget.js" data-channel="{{token}}" async&gt;&lt;/script&gt;</code></p>
            <p>Type a message as a customer: the reply arrives live, and the same conversation appears in the CRM
               and through the public API.</p>
          </main>
          <script src="/widget.js" data-channel="{{token}}" data-open="true" async></script>
        </body>
        </html>
        """;
}
