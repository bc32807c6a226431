namespace SaasAssistants.WebApp.Contacts;

/// <summary>One of the contact's conversations, on whichever channel (the same person found by email or phone).</summary>
public sealed record ContactConversation(Guid Id, Guid ContactId, string ChannelType, string ChannelName, string State, int MessageCount,
    DateTimeOffset CreatedAt, DateTimeOffset LastMessageAt);
