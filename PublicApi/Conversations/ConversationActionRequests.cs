using SaasAssistants.Database.Conversations;

namespace SaasAssistants.PublicApi.Conversations;

/// <summary>A pre-approved WhatsApp template: the only message allowed outside the customer's 24-hour window.</summary>
/// <param name="Name">The template's name at Meta.</param>
/// <param name="Language">Its language code, e.g. pt_BR.</param>
/// <param name="Parameters">The body's parameters, in order.</param>
public sealed record TemplateRequest(string? Name, string? Language, string[]? Parameters)
{
    public ReplyTemplate ToTemplate() => new(Name?.Trim() ?? "", Language?.Trim() ?? "", Parameters ?? []);
}

/// <summary>A message an agent sends to the customer: text, or on WhatsApp a template.</summary>
/// <param name="Text">The text (up to 4,096 characters); optional with a template, where it is what the CRM shows.</param>
/// <param name="Template">A WhatsApp template, required outside the 24-hour window.</param>
/// <param name="AgentId">The agent (a user of the tenant) writing; the conversation is assigned to them.</param>
public sealed record SendMessageRequest(string? Text, TemplateRequest? Template, Guid? AgentId)
{
    public AgentReply ToReply() => new(Text, AgentId, Template?.ToTemplate());
}

/// <summary>The customer of a new conversation: its id on the channel (WhatsApp: the phone number as wa_id, digits only).</summary>
public sealed record NewContactRequest(string? ExternalId, string? Name);

/// <summary>Starts a conversation from the business's side on a WhatsApp or Instagram channel.</summary>
/// <param name="ChannelId">The channel to write on.</param>
/// <param name="ContactId">An existing contact of that channel; or give <c>contact</c>.</param>
/// <param name="Contact">The customer by their id on the channel; created when new.</param>
/// <param name="Text">The first message's text; optional with a template.</param>
/// <param name="Template">A WhatsApp template: on WhatsApp a business may only write first with one.</param>
/// <param name="AgentId">The agent who starts it; the conversation is assigned to them.</param>
public sealed record StartConversationRequest(Guid? ChannelId, Guid? ContactId, NewContactRequest? Contact, string? Text, TemplateRequest? Template, Guid? AgentId);

/// <summary>The conversation just started and its first message.</summary>
public sealed record StartedConversationResponse(ConversationResponse Conversation, MessageResponse Message);
