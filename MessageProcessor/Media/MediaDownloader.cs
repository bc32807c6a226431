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
/// redirects to its CDN); Instagram's attachment URL as it is (a signed CDN link). 429 and 5xx are retryable.
/// </summary>
public sealed class MediaDownloader(HttpClient http, IOptions<ChannelsOptions> channels, IOptions<MediaOptions> options, TimeProvider time)
{
    public async Task<DownloadedMedia> FromGraphAsync(string mediaId, string accessToken, CancellationToken cancellationToken)
    {
        var settings = channels.Value;
        var metadataUri = new Uri(settings.GraphBaseUrl, $"{settings.GraphVersion}/{Uri.EscapeDataString(mediaId)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, metadataUri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await SendAsync(request, cancellationToken);
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
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = authorization;
        using var response = await SendAsync(request, cancellationToken);
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

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new MediaFetchException(MediaFetchException.SourceUnavailable, true, $"The media source is unreachable: {ex.Message}");
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MediaFetchException(MediaFetchException.SourceUnavailable, true, $"The media source timed out: {ex.Message}");
        }
        if (response.IsSuccessStatusCode)
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
}
