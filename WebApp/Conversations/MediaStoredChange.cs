namespace SaasAssistants.WebApp.Conversations;

/// <summary>A customer's file that was stored after its message was shown, as the hub's mediaStored pushes it: the page shows it from <see cref="Url"/>.</summary>
public sealed record MediaStoredChange(Guid ConversationId, Guid MessageId, string Url);
