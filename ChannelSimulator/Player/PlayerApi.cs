using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SaasAssistants.ChannelSimulator.Graph;
using SaasAssistants.ChannelSimulator.Webhooks;

namespace SaasAssistants.ChannelSimulator.Player;

/// <summary>
/// The page's API (<c>/simulator/...</c>): send as a customer (turned into Meta's webhook and posted, signed, to the
/// Gateway), read a customer's conversation with the business's replies and their states, list the Graph sends
/// received, and queue a fault (e.g. a 429 with Retry-After) for the next send.
/// </summary>
public static class PlayerApi
{
    public static IEndpointRouteBuilder MapPlayerApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/simulator");
        group.MapPost("/whatsapp/messages", SendWhatsAppAsync);
        group.MapPost("/instagram/messages", SendInstagramAsync);
        group.MapGet("/conversations/{channel}/{contact}", (string channel, string contact, SimulatorState state) => Results.Ok(state.Conversation(channel, contact)));
        group.MapGet("/sends", (SimulatorState state) => Results.Ok(state.Sends));
        group.MapPost("/faults", (SimulatedFault fault, SimulatorState state) =>
        {
            state.QueueFault(fault);
            return Results.NoContent();
        });
        // A file kept for a customer without sending it, e.g. as a Twilio message's MediaUrl.
        group.MapPost("/media", (PlayerFile file, SimulatorState state) =>
        {
            return Decode(file) is { } bytes
                ? Results.Ok(new { id = state.AddMedia(file.ContentType, bytes, file.FileName).Id })
                : Results.ValidationProblem(new Dictionary<string, string[]> { ["base64"] = ["Not base64."] });
        });
        // The next WhatsApp send posts its statuses to the Gateway before answering, as Meta sometimes does.
        group.MapPost("/statuses-first", (SimulatorState state) =>
        {
            state.QueueStatusesFirst();
            return Results.NoContent();
        });
        return app;
    }

    private static async Task<IResult> SendWhatsAppAsync(PlayerMessage input, GatewayWebhookClient gateway, SimulatorState state, TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(input.From))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["The customer's phone number (wa_id) is required."] });
        }

        var now = time.GetUtcNow();
        var wamid = "wamid." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        var message = new JsonObject
        {
            ["from"] = input.From,
            ["id"] = wamid,
            ["timestamp"] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };
        string shown;
        if (input.Latitude is { } latitude && input.Longitude is { } longitude)
        {
            message["type"] = "location";
            message["location"] = new JsonObject { ["latitude"] = latitude, ["longitude"] = longitude, ["name"] = input.Text };
            shown = $"📍 {latitude.ToString(CultureInfo.InvariantCulture)}, {longitude.ToString(CultureInfo.InvariantCulture)}";
        }
        else if (input.File is { } file)
        {
            if (file.Kind is not ("image" or "audio" or "video" or "document" or "sticker"))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["file.kind"] = ["image, audio, video, document or sticker."] });
            }

            if (Decode(file) is not { } bytes)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["file.base64"] = ["Not base64."] });
            }

            var media = state.AddMedia(file.ContentType, bytes, file.FileName);
            var item = new JsonObject
            {
                ["mime_type"] = file.ContentType,
                ["sha256"] = Convert.ToBase64String(SHA256.HashData(bytes)),
                ["id"] = media.Id,
            };
            if (file.Kind == "document" && file.FileName is not null)
            {
                item["filename"] = file.FileName;
            }

            if (file.Kind is "image" or "video" or "document" && !string.IsNullOrWhiteSpace(input.Text))
            {
                item["caption"] = input.Text;
            }

            message["type"] = file.Kind;
            message[file.Kind] = item;
            shown = $"📎 {file.Kind} {file.FileName} {input.Text}";
        }
        else if (!string.IsNullOrWhiteSpace(input.Text))
        {
            message["type"] = "text";
            message["text"] = new JsonObject { ["body"] = input.Text };
            shown = input.Text;
        }
        else
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["text"] = ["Send a text, a file or a location."] });
        }

        var value = new JsonObject
        {
            ["contacts"] = new JsonArray(new JsonObject { ["profile"] = new JsonObject { ["name"] = input.Name ?? input.From }, ["wa_id"] = input.From }),
            ["messages"] = new JsonArray(message),
        };
        var answer = await gateway.PostWhatsAppAsync(value, cancellationToken);
        if (answer.Status == 200)
        {
            state.RecordFromCustomer("whatsapp", input.From, new SimulatedMessage(wamid, "customer", shown, now));
        }

        return Results.Ok(new { messageId = wamid, gatewayStatus = answer.Status, gatewayBody = answer.Body });
    }

    private static async Task<IResult> SendInstagramAsync(PlayerMessage input, GatewayWebhookClient gateway, SimulatorState state,
        Microsoft.Extensions.Options.IOptions<SimulatorOptions> options, TimeProvider time, HttpRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(input.From))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["The customer's Instagram-scoped id (IGSID) is required."] });
        }

        if (string.IsNullOrWhiteSpace(input.Text) && string.IsNullOrWhiteSpace(input.ImageUrl) && input.File is null)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["text"] = ["Send a text, a file or an image URL."] });
        }

        var now = time.GetUtcNow();
        var mid = "aWdfZAG1faXRlbToxOklHTWVzc2FnZA" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var message = new JsonObject { ["mid"] = mid };
        var shown = input.ImageUrl ?? input.Text;
        if (input.File is { } file)
        {
            // Instagram's attachment types; a document is a "file". The payload carries a URL (Meta's signed CDN link),
            // never a media id: the simulator serves the bytes at a URL of its own, without a token, as the CDN does.
            var type = file.Kind switch
            {
                "image" or "audio" or "video" => file.Kind,
                "document" => "file",
                _ => null,
            };
            if (type is null)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["file.kind"] = ["image, audio, video or document."] });
            }

            if (Decode(file) is not { } bytes)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["file.base64"] = ["Not base64."] });
            }

            var media = state.AddMedia(file.ContentType, bytes, file.FileName);
            var url = $"{request.Scheme}://{request.Host}{GraphMediaApi.InstagramCdnPath}{media.Id}";
            message["attachments"] = new JsonArray(new JsonObject { ["type"] = type, ["payload"] = new JsonObject { ["url"] = url } });
            shown = $"📎 {file.Kind} {file.FileName}";
        }
        else if (!string.IsNullOrWhiteSpace(input.ImageUrl))
        {
            message["attachments"] = new JsonArray(new JsonObject { ["type"] = "image", ["payload"] = new JsonObject { ["url"] = input.ImageUrl } });
        }
        else
        {
            message["text"] = input.Text;
        }

        var answer = await gateway.PostInstagramAsync(new JsonObject
        {
            ["sender"] = new JsonObject { ["id"] = input.From },
            ["recipient"] = new JsonObject { ["id"] = options.Value.Instagram.AccountId },
            ["timestamp"] = now.ToUnixTimeMilliseconds(),
            ["message"] = message,
        }, cancellationToken);
        if (answer.Status == 200)
        {
            state.RecordFromCustomer("instagram", input.From, new SimulatedMessage(mid, "customer", shown, now));
        }

        return Results.Ok(new { messageId = mid, gatewayStatus = answer.Status, gatewayBody = answer.Body });
    }

    private static byte[]? Decode(PlayerFile file)
    {
        try
        {
            return Convert.FromBase64String(file.Base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
