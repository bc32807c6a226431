using System.Net;
using Microsoft.Extensions.Options;
using SaasAssistants.ServiceDefaults.Http;

namespace SaasAssistants.Knowledge.Ingest;

/// <summary>
/// Fetches a web page to add as a document: http(s) only, the same size limit as uploads, and, unless
/// <see cref="KnowledgeOptions.AllowPrivateNetworkUrls"/>, never an address inside a private network. That check is
/// made on the address actually connected to (in the handler's connect callback), so neither a redirect nor a DNS
/// name that resolves inward gets around it.
/// </summary>
public sealed class WebPageFetcher(HttpClient http, IOptions<KnowledgeOptions> options)
{
    public static SocketsHttpHandler CreateHandler(KnowledgeOptions options) => new()
    {
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 5,
        AutomaticDecompression = DecompressionMethods.All,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
            var allowed = addresses.Where(a => options.AllowPrivateNetworkUrls || !PublicAddresses.IsInternal(a)).ToArray();
            if (allowed.Length == 0)
            {
                throw new WebPageFetchException($"{context.DnsEndPoint.Host} is not a public address.");
            }

            return await PublicAddresses.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
        },
    };

    public async Task<FetchedPage> FetchAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new WebPageFetchException("The URL must be an absolute http or https address.");
        }

        var limit = options.Value.MaxDocumentBytes;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.FetchTimeout);
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new WebPageFetchException($"The page answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            if (response.Content.Headers.ContentLength > limit)
            {
                throw new WebPageFetchException($"The page is larger than the limit of {limit} bytes.");
            }

            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(chunk, timeout.Token)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw new WebPageFetchException($"The page is larger than the limit of {limit} bytes.");
                }

                buffer.Write(chunk, 0, read);
            }
            var finalUri = response.RequestMessage?.RequestUri ?? uri;
            return new FetchedPage(finalUri, finalUri.ToString(), response.Content.Headers.ContentType?.MediaType, buffer.ToArray());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WebPageFetchException("The page did not answer in time.");
        }
        catch (HttpRequestException ex)
        {
            throw new WebPageFetchException(ex.InnerException is WebPageFetchException inner ? inner.Message : $"The page could not be fetched ({ex.Message}).", ex);
        }
    }
}
