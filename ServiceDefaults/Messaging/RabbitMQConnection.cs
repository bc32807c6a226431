using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace SaasAssistants.ServiceDefaults.Messaging;

/// <summary>
/// The service's one connection to RabbitMQ (channels are cheap, connections are not). Opened on first use, so a
/// service starts while the broker is down: a single background attempt loop retries with backoff until it
/// connects, and every caller waits on it with its own cancellation. Once open, RabbitMQ.Client's automatic
/// recovery reconnects it after a broker or network failure. Never close it: it is shared by the whole service.
/// </summary>
public sealed class RabbitMQConnection : IAsyncDisposable
{
    private readonly ConnectionFactory _factory;
    private readonly ILogger<RabbitMQConnection> _logger;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _disposing = new();
    private Task<IConnection>? _connecting;

    public RabbitMQConnection(string connectionString, string clientName, ILogger<RabbitMQConnection> logger)
    {
        _factory = new ConnectionFactory
        {
            Uri = new Uri(connectionString),
            ClientProvidedName = clientName,
            AutomaticRecoveryEnabled = true,
            // Topology (queues, bindings, consumers) is re-declared by its owners whenever they open a channel
            // (see EventConsumer). The library's replay of recorded topology keeps entities that no longer exist,
            // e.g. a broker-named queue the broker deleted: seen failing every recovery attempt, forever.
            TopologyRecoveryEnabled = false,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(2),
        };
        _logger = logger;
    }

    /// <summary>The open (or recovering) connection; waits, without blocking a thread, until one exists.</summary>
    public async ValueTask<IConnection> GetAsync(CancellationToken ct)
    {
        var connecting = StartConnecting();
        return connecting.IsCompletedSuccessfully ? connecting.Result : await connecting.WaitAsync(ct);
    }

    /// <summary>For the health check: the state right now, without waiting for a connection attempt.</summary>
    internal (bool Connected, bool Open) Peek()
    {
        var connecting = StartConnecting();
        return connecting.IsCompletedSuccessfully ? (true, connecting.Result.IsOpen) : (false, false);
    }

    private Task<IConnection> StartConnecting()
    {
        if (Volatile.Read(ref _connecting) is { } existing)
        {
            return existing;
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposing.IsCancellationRequested, this);
            // Task.Run: the attempt loop belongs to no caller, so one caller giving up does not stop it for others.
            return _connecting ??= Task.Run(() => ConnectAsync(_disposing.Token));
        }
    }

    private async Task<IConnection> ConnectAsync(CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var connection = await _factory.CreateConnectionAsync(ct);
                connection.ConnectionShutdownAsync += OnConnectionLostAsync;
                connection.ConnectionRecoveryErrorAsync += OnRecoveryFailedAsync;
                connection.RecoverySucceededAsync += OnRecoveredAsync;
                _logger.LogInformation("Connected to RabbitMQ at {Host}:{Port}", _factory.HostName, _factory.Port);
                return connection;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                var delay = RetryBackoff.For(attempt);
                _logger.LogWarning(
                    "RabbitMQ at {Host}:{Port} is not reachable (attempt {Attempt}: {Error}); retrying in {Delay:0.0}s",
                    _factory.HostName, _factory.Port, attempt + 1, ex.Message, delay.TotalSeconds);
                await Task.Delay(delay, ct);
            }
        }
    }

    private Task OnConnectionLostAsync(object sender, ShutdownEventArgs args)
    {
        if (!_disposing.IsCancellationRequested)
        {
            _logger.LogWarning("RabbitMQ connection lost ({Reason}); recovering", args.ReplyText);
        }

        return Task.CompletedTask;
    }

    private Task OnRecoveryFailedAsync(object sender, ConnectionRecoveryErrorEventArgs args)
    {
        _logger.LogWarning("RabbitMQ connection recovery attempt failed ({Error}); retrying", args.Exception.Message);
        return Task.CompletedTask;
    }

    private Task OnRecoveredAsync(object sender, AsyncEventArgs args)
    {
        _logger.LogInformation("RabbitMQ connection recovered");
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        Task<IConnection>? connecting;
        lock (_lock)
        {
            if (_disposing.IsCancellationRequested)
            {
                return;
            }

            // Stops an attempt loop in progress. The token source stays undisposed: late callers may still read it.
            _disposing.Cancel();
            connecting = _connecting;
            _connecting = null;
        }

        if (connecting is null)
        {
            return;
        }

        IConnection connection;
        try
        {
            // An attempt in flight sees the cancellation at once; one that just succeeded still has to be closed.
            connection = await connecting;
        }
        catch (Exception)
        {
            return;
        }

        await CloseQuietlyAsync(connection);
    }

    private async Task CloseQuietlyAsync(IConnection connection)
    {
        try
        {
            // A clean close lets the broker requeue unacked deliveries at once instead of after a heartbeat timeout.
            await connection.CloseAsync(Constants.ReplySuccess, "Service stopping", TimeSpan.FromSeconds(5), abort: false);
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "Closing the RabbitMQ connection failed");
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }
}
