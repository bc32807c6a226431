using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace SaasAssistants.ChannelSimulator.Graph;

/// <summary>
/// Media a simulated customer sent, served as Meta and Twilio serve it. WhatsApp Cloud API: <c>GET /{version}/{media-id}</c>
/// with the channel's token answers the media's metadata and a download URL, and <c>GET</c> of that URL, with the same
/// token, the bytes. Instagram: the attachment's URL, as a CDN link. Twilio: <c>GET /2010-04-01/Accounts/{sid}/Messages/{message}/Media/{media}</c> with basic auth.
/// </summary>
public static class GraphMediaApi
{
    public const string DownloadPath = "/whatsapp-media/";

    /// <summary>Where an Instagram attachment's URL points: Meta's CDN serves it to whoever has the (signed) link.</summary>
    public const string InstagramCdnPath = "/instagram-cdn/";

    public static IEndpointRouteBuilder MapGraphMediaApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/{version}/{mediaId:long}", Metadata).ExcludeFromDescription();
        app.MapGet(DownloadPath + "{mediaId}", Download).ExcludeFromDescription();
        app.MapGet(InstagramCdnPath + "{mediaId}", (string mediaId, SimulatorState state) =>
            state.Media(mediaId) is { } media ? Results.File(media.Content, media.ContentType) : Results.NotFound()).ExcludeFromDescription();
        app.MapGet("/2010-04-01/Accounts/{accountSid}/Messages/{messageSid}/Media/{mediaId}", TwilioDownload).ExcludeFromDescription();
        return app;
    }

    private static IResult Metadata(string version, long mediaId, HttpRequest request, IOptions<SimulatorOptions> options, SimulatorState state)
    {
        if (!HasGraphToken(request, options.Value))
        {
            return GraphError(401, 190, "Invalid OAuth access token - Cannot parse access token");
        }

        if (state.Media(mediaId.ToString(System.Globalization.CultureInfo.InvariantCulture)) is not { } media)
        {
            return GraphError(400, 100, $"Unsupported get request. Object with ID '{mediaId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.");
        }

        return Results.Json(new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["url"] = $"{request.Scheme}://{request.Host}{DownloadPath}{media.Id}",
            ["mime_type"] = media.ContentType,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(media.Content)),
            ["file_size"] = media.Content.Length,
            ["id"] = media.Id,
        });
    }

    private static IResult Download(string mediaId, HttpRequest request, IOptions<SimulatorOptions> options, SimulatorState state)
    {
        if (!HasGraphToken(request, options.Value))
        {
            return GraphError(401, 190, "Invalid OAuth access token - Cannot parse access token");
        }

        return state.Media(mediaId) is { } media ? Results.File(media.Content, media.ContentType) : Results.NotFound();
    }

    private static IResult TwilioDownload(string accountSid, string mediaId, HttpRequest request, IOptions<SimulatorOptions> options, SimulatorState state)
    {
        var channel = options.Value.Twilio;
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{channel.AccountId}:{channel.AppSecret}"));
        if (accountSid != channel.AccountId || request.Headers.Authorization.ToString() != expected)
        {
            return Results.Json(new { code = 20003, message = "Authenticate", status = 401 }, statusCode: 401);
        }

        return state.Media(mediaId) is { } media ? Results.File(media.Content, media.ContentType) : Results.NotFound();
    }

    private static bool HasGraphToken(HttpRequest request, SimulatorOptions options)
    {
        var authorization = request.Headers.Authorization.ToString();
        return new[] { options.WhatsApp.AccessToken, options.Instagram.AccessToken }
            .Any(token => token is not null && authorization == $"Bearer {token}");
    }

    private static IResult GraphError(int status, long code, string message) => Results.Json(new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["message"] = message,
            ["type"] = "OAuthException",
            ["code"] = code,
            ["fbtrace_id"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(9)),
        },
    }, statusCode: status);
}
