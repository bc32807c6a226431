using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SaasAssistants.ChannelSimulator.Webhooks;

namespace SaasAssistants.ChannelSimulator.Twilio;

/// <summary>
/// Twilio's <c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c> for WhatsApp: basic auth, form-encoded
/// From/To/Body, a 201 with the message SID; then status callbacks (sent, delivered, read) posted back to the Gateway.
/// </summary>
public static class TwilioApi
{
    public static IEndpointRouteBuilder MapTwilioApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/2010-04-01/Accounts/{accountSid}/Messages.json", SendAsync).DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> SendAsync(string accountSid, HttpRequest request, IOptions<SimulatorOptions> options, SimulatorState state,
        GatewayWebhookClient gateway, TimeProvider time, IHostApplicationLifetime lifetime)
    {
        var channel = options.Value.Twilio;
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{channel.AccountId}:{channel.AppSecret}"));
        if (accountSid != channel.AccountId || request.Headers.Authorization.ToString() != expected)
        {
            return Error(401, 20003, "Authenticate");
        }

        if (state.TakeFault() is { } fault)
        {
            if (fault.RetryAfterSeconds is { } seconds)
            {
                request.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return Error(fault.Status, fault.Code, fault.Message);
        }
        var form = await request.ReadFormAsync();
        var to = form["To"].ToString();
        var body = form["Body"].ToString();
        if (!to.StartsWith("whatsapp:+", StringComparison.Ordinal) || string.IsNullOrEmpty(body))
        {
            return Error(400, 21211, "The 'To' number is not a valid WhatsApp address, or the Body is empty.");
        }

        var sid = "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var customer = to["whatsapp:+".Length..];
        var now = time.GetUtcNow();
        state.RecordSend(new ReceivedSend("twilio", accountSid, customer, sid, body,
            string.Join("&", form.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value.ToString())}")), request.Headers.Authorization.ToString(), now));
        var stopping = lifetime.ApplicationStopping;
        _ = Task.Run(async () =>
        {
            foreach (var status in new[] { "sent", "delivered", "read" })
            {
                await Task.Delay(options.Value.StatusDelay, time, stopping);
                await gateway.PostTwilioAsync(new Dictionary<string, string>
                {
                    ["MessageSid"] = sid,
                    ["MessageStatus"] = status,
                    ["AccountSid"] = accountSid,
                    ["From"] = form["From"].ToString(),
                    ["To"] = to,
                    ["ChannelPrefix"] = "whatsapp",
                    ["ApiVersion"] = "2010-04-01",
                }, stopping);
                state.UpdateStatus("twilio", customer, sid, status);
            }
        }, stopping);
        return Results.Json(new JsonObject
        {
            ["sid"] = sid,
            ["account_sid"] = accountSid,
            ["from"] = form["From"].ToString(),
            ["to"] = to,
            ["body"] = body,
            ["status"] = "queued",
            ["direction"] = "outbound-api",
            ["api_version"] = "2010-04-01",
            ["date_created"] = now.ToString("r"),
        }, statusCode: 201);
    }

    private static IResult Error(int status, long code, string message) => Results.Json(new JsonObject
    {
        ["code"] = code,
        ["message"] = message,
        ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
        ["status"] = status,
    }, statusCode: status);
}
