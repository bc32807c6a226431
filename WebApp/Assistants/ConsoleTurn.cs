namespace SaasAssistants.WebApp.Assistants;

/// <summary>One message of the console's conversation, or where a reply task stands.</summary>
public sealed record ConsoleTurn(string Sender, string? Text, DateTimeOffset CreatedAt);

/// <summary>A console reply task: its status (the task pipeline's), the reply once stored, the error when it failed.</summary>
public sealed record ConsoleReply(Guid TaskId, string Status, string? Reply, string? Model, string? Error)
{
    public bool IsFinished => Status is "Succeeded" or "Failed" or "Cancelled" or "DeadLetter";
}
