using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SaasAssistants.ChannelSimulator.Webhooks;

namespace SaasAssistants.ChannelSimulator.Graph;

/// <summary>
/// <c>POST /{version}/{id}/messages</c>, answering as Meta's Graph API does: a wamid (WhatsApp) or mid (Instagram) on
/// success, Meta's error envelope otherwise. After a WhatsApp send it posts the statuses back to the Gateway (sent,
/// delivered, read; or failed with 131047 when the customer's 24-hour window had closed and it was not a template),
/// and after an Instagram send a read receipt, as a customer's phone would cause.
/// </summary>
public static class GraphApi
{
    public static IEndpointRouteBuilder MapGraphApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/{version}/{accountId}/messages", SendAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> SendAsync(string version, string accountId, HttpRequest request, IOptions<SimulatorOptions> options,
        SimulatorState state, GatewayWebhookClient gateway, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<SimulatorState> logger)
    {
        var settings = options.Value;
        var (channelName, channel) = accountId == settings.WhatsApp.AccountId ? ("whatsapp", settings.WhatsApp)
            : accountId == settings.Instagram.AccountId ? ("instagram", settings.Instagram)
            : (null, null);
        if (channel is null)
        {
            return GraphError(400, 100, $"Unsupported post request. Object with ID '{accountId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", "GraphMethodException");
        }

        var authorization = request.Headers.Authorization.ToString();
        if (channel.AccessToken is { } token && authorization != $"Bearer {token}")
        {
            return GraphError(401, 190, "Invalid OAuth access token - Cannot parse access token", "OAuthException");
        }

        if (state.TakeFault() is { } fault)
        {
            if (fault.RetryAfterSeconds is { } seconds)
            {
                request.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return GraphError(fault.Status, fault.Code, fault.Message, "OAuthException");
        }

        string raw;
        using (var reader = new StreamReader(request.Body))
        {
            raw = await reader.ReadToEndAsync();
        }

        JsonNode? body;
        try { body = JsonNode.Parse(raw); }
        catch (System.Text.Json.JsonException) { body = null; }
        var now = time.GetUtcNow();
        var stopping = lifetime.ApplicationStopping;

        if (channelName == "whatsapp")
        {
            var to = body?["to"]?.GetValue<string>();
            var type = body?["type"]?.GetValue<string>();
            if (body?["messaging_product"]?.GetValue<string>() != "whatsapp" || to is null || type is null)
            {
                return GraphError(400, 100, "(#100) The parameter messaging_product, to and type are required.", "OAuthException");
            }

            var text = type == "template" ? $"[template {body!["template"]?["name"]}]" : body!["text"]?["body"]?.GetValue<string>();
            var wamid = "wamid." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
            // Meta accepts a free-form send outside the window and then reports it failed (131047).
            var closed = type != "template" && (state.LastFromCustomer("whatsapp", to) is not { } last || now - last > settings.ServiceWindow);
            state.RecordSend(new ReceivedSend("whatsapp", accountId, to, wamid, text, raw, authorization, now)
            {
                Status = closed ? "failed" : "sent",
                Error = closed ? "131047" : null,
            });
            if (settings.StatusesBeforeReply || state.TakeStatusesFirst())
            {
                await ReportWhatsAppStatusesAsync(gateway, state, settings.StatusDelay, to, wamid, closed, time, logger, stopping);
            }
            else
            {
                _ = Task.Run(() => ReportWhatsAppStatusesAsync(gateway, state, settings.StatusDelay, to, wamid, closed, time, logger, stopping), stopping);
            }

            return Results.Json(new JsonObject
            {
                ["messaging_product"] = "whatsapp",
                ["contacts"] = new JsonArray(new JsonObject { ["input"] = to, ["wa_id"] = to }),
                ["messages"] = new JsonArray(new JsonObject { ["id"] = wamid }),
            });
        }

        var recipient = body?["recipient"]?["id"]?.GetValue<string>();
        var message = body?["message"]?["text"]?.GetValue<string>();
        if (recipient is null || message is null)
        {
            return GraphError(400, 100, "(#100) The parameter recipient and message are required.", "OAuthException");
        }

        var mid = "aWdfZAG1faXRlbToxOklHTWVzc2FnZA" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        state.RecordSend(new ReceivedSend("instagram", accountId, recipient, mid, message, raw, authorization, now));
        _ = Task.Run(() => ReportInstagramReadAsync(gateway, state, settings, recipient, mid, time, logger, stopping), stopping);
        return Results.Json(new JsonObject { ["recipient_id"] = recipient, ["message_id"] = mid });
    }

    private static async Task ReportWhatsAppStatusesAsync(GatewayWebhookClient gateway, SimulatorState state, TimeSpan delay, string to, string wamid,
        bool failed, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        string[] statuses = failed ? ["failed"] : ["sent", "delivered", "read"];
        foreach (var status in statuses)
        {
            await Task.Delay(delay, time, cancellationToken);
            var item = new JsonObject
            {
                ["id"] = wamid,
                ["status"] = status,
                ["timestamp"] = time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["recipient_id"] = to,
            };
            if (failed)
            {
                item["errors"] = new JsonArray(new JsonObject
                {
                    ["code"] = 131047,
                    ["title"] = "Re-engagement message",
                    ["message"] = "Re-engagement message",
                    ["error_data"] = new JsonObject { ["details"] = "Message failed to send because more than 24 hours have passed since the customer last replied to this number." },
                });
            }

            var answer = await gateway.PostWhatsAppAsync(new JsonObject { ["statuses"] = new JsonArray(item) }, cancellationToken);
            state.UpdateStatus("whatsapp", to, wamid, status);
            if (answer.Status != 200)
            {
                logger.LogWarning("The Gateway answered {Status} to the {DeliveryStatus} status of {MessageId}", answer.Status, status, wamid);
            }
        }
    }

    private static async Task ReportInstagramReadAsync(GatewayWebhookClient gateway, SimulatorState state, SimulatorOptions settings, string recipient, string mid,
        TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        await Task.Delay(settings.StatusDelay, time, cancellationToken);
        var answer = await gateway.PostInstagramAsync(new JsonObject
        {
            ["sender"] = new JsonObject { ["id"] = recipient },
            ["recipient"] = new JsonObject { ["id"] = settings.Instagram.AccountId },
            ["timestamp"] = time.GetUtcNow().ToUnixTimeMilliseconds(),
            ["read"] = new JsonObject { ["mid"] = mid },
        }, cancellationToken);
        state.UpdateStatus("instagram", recipient, mid, "read");
        if (answer.Status != 200)
        {
            logger.LogWarning("The Gateway answered {Status} to the read receipt of {MessageId}", answer.Status, mid);
        }
    }

    private static IResult GraphError(int status, long code, string message, string type) => Results.Json(new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["message"] = message,
            ["type"] = type,
            ["code"] = code,
            ["fbtrace_id"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(9)),
        },
    }, statusCode: status);
}
