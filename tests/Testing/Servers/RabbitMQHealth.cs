using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace SaasAssistants.Testing.Servers;

/// <summary>Healthy = the AMQP port accepts connections and, with the management plugin, /api/overview answers.</summary>
public static class RabbitMQHealth
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };

    public static async Task<bool> IsHealthyAsync(string host, int amqpPort, int? managementPort, CancellationToken cancellationToken)
    {
        try
        {
            using (var client = new TcpClient())
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                await client.ConnectAsync(host, amqpPort, timeout.Token).ConfigureAwait(false);
            }

            if (managementPort is null)
            {
                return true;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{host}:{managementPort}/api/overview");
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes($"{RabbitMQServer.DefaultUser}:{RabbitMQServer.DefaultPassword}")));
            using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is SocketException or IOException or HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }
}
