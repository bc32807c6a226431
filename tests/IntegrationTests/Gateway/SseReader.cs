using System.Text;

namespace SaasAssistants.IntegrationTests.Gateway;

/// <summary>Reads a text/event-stream response event by event, as a browser's EventSource would.</summary>
public sealed class SseReader(HttpResponseMessage response) : IDisposable
{
    private StreamReader? _reader;

    public async Task<SseEvent> NextAsync(CancellationToken cancellationToken)
    {
        response.EnsureSuccessStatusCode();
        _reader ??= new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        string? eventName = null;
        var data = new StringBuilder();
        while (true)
        {
            var line = await _reader.ReadLineAsync(cancellationToken) ?? throw new EndOfStreamException("The event stream ended.");
            if (line.Length == 0)
            {
                if (eventName is null && data.Length == 0)
                {
                    continue;
                }

                return new SseEvent(eventName ?? "message", data.ToString());
            }
            if (line.StartsWith("event:"))
            {
                eventName = line[6..].Trim();
            }
            else if (line.StartsWith("data:"))
            {
                data.Append(line[5..].TrimStart());
            }
        }
    }

    public void Dispose() => response.Dispose();
}

public sealed record SseEvent(string Event, string Data);
