using System.Text.Json;
using System.Text.Json.Serialization;

namespace SaasAssistants.PublicApi.Contacts;

/// <summary>A customer of the tenant on one channel.</summary>
/// <param name="Id">The contact's id.</param>
/// <param name="ChannelId">The channel the contact writes on.</param>
/// <param name="ExternalId">The contact's id on the channel: a WhatsApp number, an Instagram user id, a widget visitor id.</param>
/// <param name="DisplayName">The contact's name: the channel's, or the one set through this API.</param>
/// <param name="Metadata">The tenant's own fields on the contact (a JSON object), set through this API.</param>
/// <param name="CreatedAt">When the contact first wrote (UTC).</param>
public sealed record ContactDetails(
    Guid Id,
    Guid ChannelId,
    string ExternalId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? DisplayName,
    JsonElement Metadata,
    DateTimeOffset CreatedAt);

/// <summary>The fields of a contact a partner may change; an omitted field is left as it is.</summary>
/// <param name="DisplayName">The contact's name, 1 to 200 characters.</param>
/// <param name="Metadata">Replaces the contact's metadata: a JSON object of at most 16 KB.</param>
public sealed record UpdateContactRequest(string? DisplayName, JsonElement? Metadata);
