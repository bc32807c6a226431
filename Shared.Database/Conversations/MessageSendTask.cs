using System.Text.Json;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Tasks;

namespace SaasAssistants.Database.Conversations;

/// <summary>
/// The <c>message.send</c> task that MessageProcessor's MessageSendProcessor runs: it delivers one stored outbound
/// message to WhatsApp or Instagram (Meta or Twilio). Queued in the same SaveChanges as the message, so a message is
/// never stored without its send, and the send is retried on its own.
/// </summary>
public static class MessageSendTask
{
    public const string Type = "message.send";

    /// <summary>Same priority as the assistant's replies: a person is waiting on the other side.</summary>
    public const int Priority = 10;

    public static TaskItem Create(Message message, ReplyTemplate? template, DateTimeOffset at, string? correlationId)
    {
        var payload = template is null
            ? JsonSerializer.Serialize(new { messageId = message.Id })
            : JsonSerializer.Serialize(new
            {
                messageId = message.Id,
                template = new { name = template.Name, language = template.Language, parameters = template.Parameters ?? [] },
            });
        var task = TaskItem.Create(message.TenantId, Type, payload, at, priority: Priority, correlationId: correlationId);
        task.Enqueue(at);
        return task;
    }
}
