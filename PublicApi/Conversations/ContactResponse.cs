namespace SaasAssistants.PublicApi.Conversations;

/// <param name="ExternalId">The contact's id on the channel: a WhatsApp number, an Instagram user id, a widget visitor id.</param>
public sealed record ContactResponse(Guid Id, string ExternalId, string? DisplayName);
