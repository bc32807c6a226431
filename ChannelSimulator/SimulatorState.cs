using System.Collections.Concurrent;

namespace SaasAssistants.ChannelSimulator;

/// <summary>
/// What the simulator remembers, in memory: each simulated customer's conversation (both directions, with delivery
/// states), when they last wrote (WhatsApp's 24-hour window), and faults queued to answer the next sends with.
/// </summary>
public sealed class SimulatorState
{
    private readonly ConcurrentDictionary<(string Channel, string Contact), List<SimulatedMessage>> _conversations = new();
    private readonly ConcurrentDictionary<(string Channel, string Contact), DateTimeOffset> _lastFromCustomer = new();
    private readonly ConcurrentQueue<SimulatedFault> _faults = new();
    private int _statusesFirst;
    private readonly ConcurrentDictionary<string, SimulatedMedia> _media = new();
    private readonly ConcurrentQueue<ReceivedSend> _sends = new();

    public void RecordFromCustomer(string channel, string contact, SimulatedMessage message)
    {
        _lastFromCustomer[(channel, contact)] = message.At;
        Add(channel, contact, message);
    }

    public void RecordSend(ReceivedSend send)
    {
        _sends.Enqueue(send);
        Add(send.Channel, send.To, new SimulatedMessage(send.MessageId, "business", send.Text, send.At) { Status = send.Status, Error = send.Error });
    }

    public void UpdateStatus(string channel, string contact, string messageId, string status)
    {
        if (!_conversations.TryGetValue((channel, contact), out var messages))
        {
            return;
        }

        lock (messages)
        {
            var index = messages.FindIndex(m => m.Id == messageId);
            if (index >= 0)
            {
                messages[index] = messages[index] with { Status = status };
            }
        }
    }

    public DateTimeOffset? LastFromCustomer(string channel, string contact) =>
        _lastFromCustomer.TryGetValue((channel, contact), out var at) ? at : null;

    public IReadOnlyList<SimulatedMessage> Conversation(string channel, string contact)
    {
        if (!_conversations.TryGetValue((channel, contact), out var messages))
        {
            return [];
        }

        lock (messages)
        {
            return [.. messages];
        }
    }

    public IReadOnlyList<ReceivedSend> Sends => [.. _sends];

    public void QueueFault(SimulatedFault fault) => _faults.Enqueue(fault);

    public SimulatedFault? TakeFault() => _faults.TryDequeue(out var fault) ? fault : null;

    /// <summary>Keeps a file a customer sends, under a new numeric id (as Meta's media ids are).</summary>
    public SimulatedMedia AddMedia(string contentType, byte[] content, string? fileName)
    {
        var media = new SimulatedMedia(System.Security.Cryptography.RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture),
            contentType, content, fileName);
        _media[media.Id] = media;
        return media;
    }

    public SimulatedMedia? Media(string id) => _media.GetValueOrDefault(id);

    /// <summary>The next WhatsApp send reports its statuses before it answers (see SimulatorOptions.StatusesBeforeReply).</summary>
    public void QueueStatusesFirst() => Interlocked.Increment(ref _statusesFirst);

    public bool TakeStatusesFirst()
    {
        var queued = Volatile.Read(ref _statusesFirst);
        while (queued > 0)
        {
            var seen = Interlocked.CompareExchange(ref _statusesFirst, queued - 1, queued);
            if (seen == queued)
            {
                return true;
            }

            queued = seen;
        }
        return false;
    }

    private void Add(string channel, string contact, SimulatedMessage message)
    {
        var messages = _conversations.GetOrAdd((channel, contact), _ => []);
        lock (messages)
        {
            messages.Add(message);
        }
    }
}

public sealed record SimulatedMessage(string Id, string From, string? Text, DateTimeOffset At)
{
    public string? Status { get; init; }
    public string? Error { get; init; }
}

/// <summary>A send our product made to the Graph API, as received: the raw body too, for checking the wire format.</summary>
public sealed record ReceivedSend(string Channel, string AccountId, string To, string MessageId, string? Text, string Body, string? Authorization, DateTimeOffset At)
{
    public string Status { get; init; } = "sent";
    public string? Error { get; init; }
}

/// <summary>An answer to give the next send instead of accepting it: an HTTP status with Meta's error body.</summary>
public sealed record SimulatedFault(int Status, long Code, string Message, int? RetryAfterSeconds = null);

/// <summary>A file a simulated customer sent, served by the simulator's Graph and Twilio media endpoints.</summary>
public sealed record SimulatedMedia(string Id, string ContentType, byte[] Content, string? FileName);
