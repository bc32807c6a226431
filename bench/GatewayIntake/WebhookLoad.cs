using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace SaasAssistants.Bench.GatewayIntake;

/// <summary>
/// N connections, each posting one signed WhatsApp text delivery after another (a new wamid every time, from one of
/// 1,000 customers) to the channel's callback URL, as Meta would: a warm-up that is not measured, then the measured
/// seconds. Every response's latency and status is kept; accepted means 200.
/// </summary>
public static class WebhookLoad
{
    private const int Customers = 1000;

    public static async Task<LoadResult> RunAsync(Uri gateway, BenchSystem system, BenchOptions options, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        {
            BaseAddress = gateway,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var url = $"/v1/webhooks/whatsapp/{system.ChannelKey}";
        var secret = Encoding.UTF8.GetBytes(system.AppSecret);

        var started = Stopwatch.GetTimestamp();
        var measureFrom = started + (long)(options.WarmUpSeconds * (double)Stopwatch.Frequency);
        var measureUntil = measureFrom + (long)(options.Seconds * (double)Stopwatch.Frequency);
        var perConnection = await Task.WhenAll(Enumerable.Range(0, options.Connections).Select(connection => Task.Run(async () =>
        {
            var own = new ConnectionResult();
            var sequence = 0;
            while (true)
            {
                var now = Stopwatch.GetTimestamp();
                if (now >= measureUntil)
                {
                    return own;
                }
                var body = Encoding.UTF8.GetBytes(Delivery(system.PhoneNumberId, Customer(connection, sequence++)));
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new("application/json");
                request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body)));
                HttpStatusCode status;
                try
                {
                    using var response = await http.SendAsync(request, cancellationToken);
                    await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    status = response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    status = 0;
                }
                var end = Stopwatch.GetTimestamp();
                if (now < measureFrom)
                {
                    own.WarmUp++;
                    continue;
                }
                own.Latencies.Add(Stopwatch.GetElapsedTime(now, end).TotalMilliseconds);
                if (status == HttpStatusCode.OK)
                {
                    own.Accepted++;
                }
                else
                {
                    own.Statuses[(int)status] = own.Statuses.GetValueOrDefault((int)status) + 1;
                }
            }
        }, cancellationToken)));

        var latencies = perConnection.SelectMany(c => c.Latencies).ToList();
        var refused = perConnection.SelectMany(c => c.Statuses).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Sum(s => s.Value));
        return new LoadResult(perConnection.Sum(c => c.WarmUp), latencies.Count, perConnection.Sum(c => c.Accepted), options.Seconds,
            Latencies.Of(latencies), refused);
    }

    private static string Customer(int connection, int sequence) => "55119" + ((connection * 7919 + sequence) % Customers).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Meta's documented shape (developers.facebook.com, "Webhooks payload examples": text message).</summary>
    private static string Delivery(string phoneNumberId, string from)
    {
        var wamid = "wamid.HBgLNTUxMTk4NzY1NDMyMRUCABIYFDNB" + Guid.NewGuid().ToString("N")[..20].ToUpperInvariant();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return $$$"""{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"{{{phoneNumberId}}}"},"contacts":[{"profile":{"name":"Cliente {{{from[^4..]}}}"},"wa_id":"{{{from}}}"}],"messages":[{"from":"{{{from}}}","id":"{{{wamid}}}","timestamp":"{{{timestamp}}}","type":"text","text":{"body":"Olá, vocês entregam no domingo? Pedido {{{from[^4..]}}}"}}]},"field":"messages"}]}]}""";
    }

    private sealed class ConnectionResult
    {
        public List<double> Latencies { get; } = new(50_000);

        public Dictionary<int, int> Statuses { get; } = [];

        public int Accepted { get; set; }

        public int WarmUp { get; set; }
    }
}

/// <summary>One load run: requests measured (after the warm-up), accepted (200), their latencies, and refusals by status (0: no answer).</summary>
public sealed record LoadResult(int WarmUpRequests, int Requests, int Accepted, int Seconds, Latencies Latency, IReadOnlyDictionary<int, int> Refused)
{
    public double AcceptedPerSecond => Accepted / (double)Seconds;
}
