namespace SaasAssistants.Gateway.Webhooks;

/// <summary>Reads a webhook's raw bytes (signatures are over the bytes, not over a re-serialised body), up to a limit.</summary>
public static class WebhookBody
{
    /// <summary>The body, or null when it is larger than <paramref name="maxBytes"/> (the rest is not read).</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
