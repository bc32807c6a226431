using System.Globalization;
using Microsoft.OpenApi;

namespace SaasAssistants.PublicApi.Versioning;

/// <summary>
/// The deprecation policy (README, "API versions"): an endpoint that a newer version replaces keeps working, unchanged,
/// until its sunset, and says so on every response: Deprecation (RFC 9745, since when), Sunset (RFC 8594, when it goes)
/// and Link to the successor (the same path in the newer version) and to the policy. Asp.Versioning's own policies act
/// on a whole version; only some v1 endpoints are replaced (the task contract is not), hence a per-endpoint filter.
/// </summary>
public static class DeprecationPolicy
{
    /// <summary>v2 was released, and the v1 endpoints it replaces deprecated, on this date.</summary>
    public static readonly DateTimeOffset V1ReplacedAt = new(2026, 12, 3, 0, 0, 0, TimeSpan.Zero);

    /// <summary>At least six months after deprecation, as the policy promises partners.</summary>
    public static readonly DateTimeOffset V1SunsetAt = new(2027, 6, 30, 0, 0, 0, TimeSpan.Zero);

    public const string PolicyLink = "https://docs.saasassistants.com/api/deprecation";

    /// <summary>Marks the endpoints of the builder as replaced by the same path in <paramref name="successor"/>.</summary>
    public static TBuilder DeprecatedInFavourOf<TBuilder>(this TBuilder builder, Asp.Versioning.ApiVersion successor)
        where TBuilder : IEndpointConventionBuilder
    {
        var successorSegment = $"/api/{ApiVersions.DocumentName(successor)}/";
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var headers = http.Response.Headers;
            headers["Deprecation"] = "@" + V1ReplacedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            headers["Sunset"] = V1SunsetAt.ToString("R", CultureInfo.InvariantCulture);
            var successorPath = http.Request.Path.Value is { } path && path.IndexOf('/', "/api/".Length) is var end and > 0
                ? successorSegment + path[(end + 1)..]
                : successorSegment;
            headers.Link = $"<{successorPath}>; rel=\"successor-version\", <{PolicyLink}>; rel=\"deprecation\"";
            return await next(context);
        });
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Deprecated = true;
            operation.Description = $"Deprecated: replaced by the same path in /api/{ApiVersions.DocumentName(successor)} "
                + $"(responses carry Deprecation, Sunset and Link headers); removed after {V1SunsetAt:yyyy-MM-dd}. {operation.Description}".TrimEnd();
            return Task.CompletedTask;
        });
        return builder;
    }
}
