using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using SaasAssistants.Database;

namespace SaasAssistants.EventBus;

/// <summary>
/// Waits for the service's one RabbitMQ connection (Aspire's <see cref="IConnection"/> singleton) without making the
/// service wait: Aspire builds it on first resolution, synchronously, and gives up after a few retries, which would
/// fail start-up while the broker is down. Here a single background loop resolves it, retrying with
/// <see cref="Backoff"/> until the broker answers, and every caller awaits that loop with its own cancellation. Once
/// open, RabbitMQ.Client's automatic recovery reconnects it; the container closes it at shutdown.
/// </summary>
public sealed class RabbitMQConnection(IServiceProvider services, ILogger<RabbitMQConnection> logger) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _disposing = new();
    private Task<IConnection>? _connecting;

    /// <summary>The open (or recovering) connection; waits, without blocking a thread, until one exists.</summary>
    public async ValueTask<IConnection> GetAsync(CancellationToken cancellationToken)
    {
        var connecting = StartConnecting();
        return connecting.IsCompletedSuccessfully ? connecting.Result : await connecting.WaitAsync(cancellationToken);
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

    private async Task<IConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                // A failed factory call is not cached by the container: the next resolution tries again.
                var connection = services.GetRequiredService<IConnection>();
                connection.ConnectionShutdownAsync += (_, args) => LogLost(args.ReplyText);
                connection.RecoverySucceededAsync += (_, _) => LogRecovered();
                logger.LogInformation("Connected to RabbitMQ at {Endpoint}", connection.Endpoint);
                return connection;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not ObjectDisposedException)
            {
                var delay = Backoff.Reconnect(failures);
                logger.LogWarning("RabbitMQ is not reachable (attempt {Attempt}: {Error}); retrying in {Delay:0.0}s",
                    failures, ex.Message, delay.TotalSeconds);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    private Task LogLost(string reason)
    {
        if (!_disposing.IsCancellationRequested)
        {
            logger.LogWarning("RabbitMQ connection lost ({Reason}); recovering", reason);
        }

        return Task.CompletedTask;
    }

    private Task LogRecovered()
    {
        logger.LogInformation("RabbitMQ connection recovered");
        return Task.CompletedTask;
    }

    /// <summary>Stops an attempt loop in progress; the connection itself belongs to the container.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            // The token source stays undisposed: the attempt loop may still read it.
            _disposing.Cancel();
        }
    }
}
