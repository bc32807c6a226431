using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SaasAssistants.MessageProcessor.Ai.Providers;
using SaasAssistants.MessageProcessor.Channels;

namespace SaasAssistants.MessageProcessor.Media;

/// <summary>
/// Fetches a customer's media from where the channel keeps it, never more than <see cref="MediaOptions.MaxBytes"/>:
/// WhatsApp Cloud API in two steps with the channel's token (<c>GET /{version}/{media-id}</c> gives a short-lived
/// URL, <c>GET</c> that URL gives the bytes); Twilio's MediaUrlN with basic auth (account SID, auth token; Twilio
/// redirects to its CDN); Instagram's attachment URL as it is (a signed CDN link). 429 and 5xx are retryable. Every
/// URL, and every redirect's, must pass <see cref="MediaHostPolicy"/> before a request is made; a refused one fails
/// for good (no retry) and is logged once, with its host only (the URL may carry a signature).
/// </summary>
public sealed partial class MediaDownloader(
    HttpClient http,
    MediaHostPolicy hosts,
    IOptions<ChannelsOptions> channels,
    IOptions<MediaOptions> options,
    TimeProvider time,
    ILogger<MediaDownloader> logger)
{
    // Twilio answers MediaUrlN with one redirect to its CDN; more than a few is a loop or a detour.
    private const int MaxRedirects = 3;

    public async Task<DownloadedMedia> FromGraphAsync(string mediaId, string accessToken, CancellationToken cancellationToken)
    {
        var settings = channels.Value;
        var metadataUri = new Uri(settings.GraphBaseUrl, $"{settings.GraphVersion}/{Uri.EscapeDataString(mediaId)}");
        using var response = await GetAsync(metadataUri, new AuthenticationHeaderValue("Bearer", accessToken), cancellationToken);
        // {"messaging_product":"whatsapp","url":..,"mime_type":..,"sha256":..,"file_size":..,"id":..}
        var metadata = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var url = metadata?["url"]?.GetValue<string>()
            ?? throw new MediaFetchException(MediaFetchException.SourceUnavailable, true, "The Graph API returned no media URL.");
        if (metadata?["file_size"] is JsonValue size && ReadSize(size) is { } bytes && bytes > options.Value.MaxBytes)
        {
            throw new MediaFetchException(MediaFetchException.TooLarge, false, $"The media has {bytes} bytes; at most {options.Value.MaxBytes} are kept.");
        }

        return await DownloadAsync(new Uri(url), new AuthenticationHeaderValue("Bearer", accessToken), cancellationToken);
    }

    public Task<DownloadedMedia> FromTwilioAsync(Uri url, string accountSid, string authToken, CancellationToken cancellationToken) =>
        DownloadAsync(url, new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{accountSid}:{authToken}"))), cancellationToken);

    public Task<DownloadedMedia> FromUrlAsync(Uri url, CancellationToken cancellationToken) => DownloadAsync(url, null, cancellationToken);

    private async Task<DownloadedMedia> DownloadAsync(Uri url, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        using var response = await GetAsync(url, authorization, cancellationToken);
        var max = options.Value.MaxBytes;
        if (response.Content.Headers.ContentLength > max)
        {
            throw new MediaFetchException(MediaFetchException.TooLarge, false, $"The media has {response.Content.Headers.ContentLength} bytes; at most {max} are kept.");
        }

        var contentType = response.Content.Headers.ContentType?.MediaType?.ToLowerInvariant() ?? "application/octet-stream";
        if (!options.Value.EffectiveContentTypes.Contains(contentType, StringComparer.OrdinalIgnoreCase))
        {
            throw new MediaFetchException(MediaFetchException.UnsupportedContentType, false, $"Media of type {contentType} is not kept.");
        }

        // Read no further than the limit, whatever Content-Length said (or did not say).
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new MediaFetchException(MediaFetchException.TooLarge, false, $"The media is larger than {max} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }
        var content = buffer.ToArray();
        if (!MediaSignature.Matches(contentType, content))
        {
            throw new MediaFetchException(MediaFetchException.ContentMismatch, false, $"The bytes are not a {contentType} file.");
        }

        return new DownloadedMedia(content, contentType);
    }

    /// <summary>
    /// GETs <paramref name="url"/>, following redirects here rather than in the handler so that each hop is checked
    /// before it is requested; the credentials go to the first host only (Twilio's CDN link is signed by itself).
    /// </summary>
    private async Task<HttpResponseMessage> GetAsync(Uri url, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        for (var redirects = 0; ; redirects++)
        {
            try
            {
                await hosts.EnsureAllowedAsync(url, cancellationToken);
            }
            catch (MediaFetchException refused) when (refused.IsRefusedSource)
            {
                LogRefused(MediaHostPolicy.HostOf(url), refused.ErrorCode);
                throw;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = authorization;
            var response = await SendAsync(request, cancellationToken);
            if (response.Headers.Location is not { } location || (int)response.StatusCode is < 300 or > 399)
            {
                return response;
            }

            response.Dispose();
            if (redirects == MaxRedirects)
            {
                throw new MediaFetchException(MediaFetchException.TooManyRedirects, false, $"The media source redirected more than {MaxRedirects} times.");
            }

            var next = new Uri(url, location);
            if (!string.Equals(MediaHostPolicy.HostOf(next), MediaHostPolicy.HostOf(url), StringComparison.Ordinal))
            {
                authorization = null;
            }

            url = next;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.InnerException is MediaFetchException refused)
        {
            // The connect step refused what the host resolves to now (it changed since the check), or could not resolve it.
            if (refused.IsRefusedSource)
            {
                LogRefused(request.RequestUri?.IdnHost ?? "", refused.ErrorCode);
            }

            throw refused;
        }
        catch (HttpRequestException ex)
        {
            throw new MediaFetchException(MediaFetchException.SourceUnavailable, true, $"The media source is unreachable: {ex.Message}");
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MediaFetchException(MediaFetchException.SourceUnavailable, true, $"The media source timed out: {ex.Message}");
        }
        if (response.IsSuccessStatusCode || (int)response.StatusCode is >= 300 and <= 399 && response.Headers.Location is not null)
        {
            return response;
        }

        using (response)
        {
            var retryable = response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
            var retryAfter = RetryAfterHeader.Parse(null, response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null, time.GetUtcNow());
            var code = response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest ? MediaFetchException.MediaNotFound : $"http_{(int)response.StatusCode}";
            throw new MediaFetchException(code, retryable, $"The media source answered {(int)response.StatusCode}.", retryAfter);
        }
    }

    private static long? ReadSize(JsonValue value) =>
        value.TryGetValue<long>(out var number) ? number
        : value.TryGetValue<string>(out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media download from {Host} refused ({ErrorCode}): not an allowed media host or address (Media:AllowedHosts)")]
    private partial void LogRefused(string host, string errorCode);
}
