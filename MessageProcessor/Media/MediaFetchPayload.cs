using System.Text.Json;
using SaasAssistants.MessageProcessor.Tasks;

namespace SaasAssistants.MessageProcessor.Media;

/// <summary>The payload of a <c>media.fetch</c> task: <c>{mediaId}</c>, the message_media row to complete.</summary>
public sealed record MediaFetchPayload(Guid MediaId)
{
    public static IReadOnlyList<TaskPayloadError> Validate(JsonElement payload) =>
        payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("mediaId", out var id) && id.ValueKind == JsonValueKind.String && Guid.TryParse(id.GetString(), out _)
            ? []
            : [new TaskPayloadError("mediaId", "is required and must be a media id (a uuid).")];

    public static MediaFetchPayload From(JsonElement payload) => new(Guid.Parse(payload.GetProperty("mediaId").GetString()!));
}
