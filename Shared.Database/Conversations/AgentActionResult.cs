using SaasAssistants.Database.Entities;

namespace SaasAssistants.Database.Conversations;

public enum AgentActionStatus
{
    Done,
    NotFound,
    /// <summary>The request itself is wrong (a field): 400 in the API.</summary>
    Invalid,
    /// <summary>The request is fine but the conversation's state refuses it: 409 in the API.</summary>
    Conflict,
}

/// <summary>
/// What an agent action did, or why it did not. <see cref="Error"/> is a stable code for the API and the CRM's
/// messages; <see cref="Field"/> names the input at fault for <see cref="AgentActionStatus.Invalid"/>.
/// </summary>
public sealed record AgentActionResult(AgentActionStatus Status, string? Error = null, string? Detail = null, string? Field = null)
{
    public Conversation? Conversation { get; init; }
    public Message? Message { get; init; }
    public ConversationNote? Note { get; init; }

    public bool Succeeded => Status == AgentActionStatus.Done;

    public static AgentActionResult Done(Conversation conversation) => new(AgentActionStatus.Done) { Conversation = conversation };

    public static AgentActionResult NotFound() => new(AgentActionStatus.NotFound, AgentActionErrors.ConversationNotFound, "Conversation not found.");

    public static AgentActionResult Invalid(string field, string error, string detail) => new(AgentActionStatus.Invalid, error, detail, field);

    public static AgentActionResult Conflict(string error, string detail) => new(AgentActionStatus.Conflict, error, detail);
}

/// <summary>The codes of <see cref="AgentActionResult.Error"/>.</summary>
public static class AgentActionErrors
{
    public const string ConversationNotFound = "conversation_not_found";
    public const string TextRequired = "text_required";
    public const string TextTooLong = "text_too_long";
    public const string AgentNotFound = "agent_not_found";
    public const string TemplateInvalid = "template_invalid";
    public const string TemplateNotSupported = "template_not_supported";
    public const string ConversationEnded = "conversation_ended";
    public const string OutsideServiceWindow = "outside_service_window";
    public const string NoAssistant = "no_assistant";
    public const string ContactHasOpenConversation = "contact_has_open_conversation";
    public const string InvalidTransition = "invalid_transition";
    public const string ChannelNotFound = "channel_not_found";
    public const string ChannelCannotStart = "channel_cannot_start";
    public const string ContactRequired = "contact_required";
    public const string ContactNotFound = "contact_not_found";
}
