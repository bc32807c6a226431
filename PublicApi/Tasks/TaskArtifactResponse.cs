using System.Text.Json.Serialization;
using SaasAssistants.Database.Tasks;

namespace SaasAssistants.PublicApi.Tasks;

/// <summary>Something a task produced.</summary>
/// <param name="Id">The artifact's id.</param>
/// <param name="Kind">text or json (in content), file or link (at uri).</param>
/// <param name="Content">The text, or the JSON document as text, for text and json artifacts.</param>
/// <param name="Uri">Where a file or link artifact is.</param>
/// <param name="CreatedAt">When it was produced (UTC).</param>
public sealed record TaskArtifactResponse(
    Guid Id,
    TaskArtifactKind Kind,
    // Public contract: nullable fields are always present (null), as the schema says, rather than left out.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Content,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Uri,
    DateTimeOffset CreatedAt);
