using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Events.Conversations;
using SaasAssistants.Contracts.Events.Tasks;
using SaasAssistants.Database.Webhooks;
using SaasAssistants.EventBus;

namespace SaasAssistants.MessageProcessor.Webhooks;

/// <summary>
/// The one place where integration events become public webhook events (the names partners subscribe to) and their
/// <c>data</c>: <c>message.created</c> ← MessageAdded; <c>conversation.created</c> ← ConversationStateChanged of a new
/// conversation; <c>conversation.updated</c> ← any later ConversationStateChanged or ConversationHandoffChanged;
/// <c>task.succeeded</c> ← TaskSucceeded; <c>task.failed</c> ← TaskDeadLettered (the task's final failure; a failed
/// attempt that will be retried is not a failed task). Deliveries' own tasks are not reported, or each delivery would
/// make another.
/// </summary>
public sealed class WebhookEventHandlers(WebhookFanOut fanOut) :
    IIntegrationEventHandler<MessageAdded>,
    IIntegrationEventHandler<ConversationStateChanged>,
    IIntegrationEventHandler<ConversationHandoffChanged>,
    IIntegrationEventHandler<TaskSucceeded>,
    IIntegrationEventHandler<TaskDeadLettered>
{
    public Task HandleAsync(MessageAdded @event, CancellationToken cancellationToken) =>
        fanOut.FanOutAsync(@event, "message.created", new
        {
            @event.MessageId, @event.ConversationId, @event.ChannelId, @event.ChannelType, @event.Direction, @event.Content, @event.CreatedAt,
        }, cancellationToken);

    public Task HandleAsync(ConversationStateChanged @event, CancellationToken cancellationToken) =>
        @event.From is null
            ? fanOut.FanOutAsync(@event, "conversation.created", new { @event.ConversationId, State = @event.To, CreatedAt = @event.ChangedAt }, cancellationToken)
            : fanOut.FanOutAsync(@event, "conversation.updated", new
            {
                @event.ConversationId, Change = "state", @event.From, @event.To, @event.Version, @event.ChangedAt,
            }, cancellationToken);

    public Task HandleAsync(ConversationHandoffChanged @event, CancellationToken cancellationToken) =>
        fanOut.FanOutAsync(@event, "conversation.updated", new
        {
            @event.ConversationId, Change = "handoff", @event.From, @event.To, @event.AssignedAgentId, @event.Reason, @event.Version, @event.ChangedAt,
        }, cancellationToken);

    public Task HandleAsync(TaskSucceeded @event, CancellationToken cancellationToken) =>
        @event.Type == WebhookDeliveryTasks.TaskType
            ? Task.CompletedTask
            : fanOut.FanOutAsync(@event, "task.succeeded", new { @event.TaskId, @event.Type, @event.Attempt, SucceededAt = @event.OccurredAt }, cancellationToken);

    public Task HandleAsync(TaskDeadLettered @event, CancellationToken cancellationToken) =>
        @event.Type == WebhookDeliveryTasks.TaskType
            ? Task.CompletedTask
            : fanOut.FanOutAsync(@event, "task.failed", new
            {
                @event.TaskId, @event.Type, @event.Attempts, @event.ErrorCode, @event.ErrorDetail, FailedAt = @event.OccurredAt,
            }, cancellationToken);
}
