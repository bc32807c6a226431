using Asp.Versioning;

namespace SaasAssistants.PublicApi.Versioning;

/// <summary>
/// The public API's versions. The version is the URL's first segment after /api (/api/v1/..., /api/v2/...): partners
/// see it in every call and in every log line, and a proxy can route on it.
/// </summary>
public static class ApiVersions
{
    public static readonly ApiVersion V1 = new(1);
    public static readonly ApiVersion V2 = new(2);

    /// <summary>Every version, oldest first: one OpenAPI document each (/openapi/v1.json, /openapi/v2.json).</summary>
    public static readonly ApiVersion[] All = [V1, V2];

    /// <summary>
    /// A resource's route under the versioned prefix, e.g. Route("/conversations") is /api/v{version}/conversations. Map it
    /// on a versioned API with the versions it serves:
    /// <c>app.NewVersionedApi("Knowledge").MapGroup(ApiVersions.Route("/knowledge-bases")).HasApiVersion(ApiVersions.V1)</c>.
    /// </summary>
    public static string Route(string resource) => "/api/v{version:apiVersion}" + resource;

    /// <summary>The OpenAPI document (and Swagger UI entry) of a version: "v1", "v2".</summary>
    public static string DocumentName(ApiVersion version) => $"v{version.MajorVersion}";
}
