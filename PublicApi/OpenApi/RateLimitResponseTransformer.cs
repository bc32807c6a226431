using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SaasAssistants.PublicApi.Authentication;

namespace SaasAssistants.PublicApi.OpenApi;

/// <summary>
/// Every authenticated operation is counted against its key's and its tenant's budget (RateLimiting), so each may answer
/// 429: documented once here, with Retry-After and the RateLimit headers, rather than on every endpoint by hand.
/// </summary>
public sealed class RateLimitResponseTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var policies = context.Description.ActionDescriptor.EndpointMetadata.OfType<AuthorizationPolicy>();
        if (!policies.Any(policy => policy.AuthenticationSchemes.Contains(PublicApiAuthentication.Scheme)))
        {
            return Task.CompletedTask;
        }

        operation.Responses ??= [];
        operation.Responses.TryAdd("429", new OpenApiResponse
        {
            Description = "Over the key's or the tenant's budget (plan): a problem with code rate_limited; retry after Retry-After seconds.",
            Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader { Description = "Seconds until the budget has room again.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
            },
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new OpenApiMediaType(),
            },
        });
        return Task.CompletedTask;
    }
}
