using Microsoft.OpenApi;

namespace SaasAssistants.PublicApi.OAuth;

/// <summary>The token request's form (RFC 6749 §4.4.2) as the OpenAPI documents show it.</summary>
internal static class TokenRequestDocumentation
{
    public static OpenApiRequestBody Body() => new()
    {
        Required = true,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/x-www-form-urlencoded"] = new()
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "grant_type" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["grant_type"] = Text("client_credentials"),
                        ["client_id"] = Text("The API key's prefix (the {prefix} of sa_{prefix}_{secret}); or send both as HTTP Basic."),
                        ["client_secret"] = Text("The whole API key."),
                        ["scope"] = Text("Optional: space-separated scopes, at most the key's; omitted means all of the key's."),
                    },
                },
            },
        },
    };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
}
