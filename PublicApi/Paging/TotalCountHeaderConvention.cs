using Microsoft.OpenApi;

namespace SaasAssistants.PublicApi.Paging;

public static class TotalCountHeaderConvention
{
    /// <summary>Documents X-Total-Count on the 200 response, so generated clients know where the total is.</summary>
    public static RouteHandlerBuilder WithTotalCountHeader(this RouteHandlerBuilder builder, string itemsName)
        => builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers[PagingExtensions.TotalCountHeader] = new OpenApiHeader
                {
                    Description = $"The total number of {itemsName}, over all pages.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                };
            }
            return Task.CompletedTask;
        });
}
