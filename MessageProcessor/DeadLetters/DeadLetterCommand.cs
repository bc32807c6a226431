using SaasAssistants.MessageProcessor.Extensions;

namespace SaasAssistants.MessageProcessor.DeadLetters;

/// <summary>The command-line replay: <c>MessageProcessor --replay-dead-letters [queue]</c> (default: the inbound queue).</summary>
public static class DeadLetterCommand
{
    public const string Switch = "--replay-dead-letters";

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var index = Array.IndexOf(args, Switch);
        var queue = index + 1 < args.Length && !args[index + 1].StartsWith('-') ? args[index + 1] : ApplicationServiceExtensions.InboundMessagesQueue;
        if (!ApplicationServiceExtensions.ReplayableQueues.Contains(queue))
        {
            await Console.Error.WriteLineAsync($"Queue '{queue}' is not one of this service's queues: {string.Join(", ", ApplicationServiceExtensions.ReplayableQueues)}");
            return 2;
        }
        var replayed = await app.Services.GetRequiredService<DeadLetterReplayer>().ReplayAsync(queue, int.MaxValue, CancellationToken.None);
        Console.WriteLine($"Replayed {replayed} dead-lettered messages to {queue}.");
        return 0;
    }
}
