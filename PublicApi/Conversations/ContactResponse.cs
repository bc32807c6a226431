using System.Text.Json.Serialization;

namespace SaasAssistants.PublicApi.Conversations;

/// <summary>The customer on the other side of a conversation.</summary>
/// <param name="Id">The contact's id.</param>
/// <param name="ExternalId">The contact's id on the channel: a WhatsApp number, an Instagram user id, a widget visitor id.</param>
/// <param name="DisplayName">The name the channel reported, if any.</param>
public sealed record ContactResponse(
    Guid Id,
    string ExternalId,
    // Public contract: a nullable field is always present (null), as the schema says, rather than left out.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? DisplayName);
