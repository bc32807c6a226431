using Microsoft.AspNetCore.Mvc;
using SaasAssistants.WebApp.Account;
using SaasAssistants.WebApp.Extensions;

namespace SaasAssistants.WebApp.Knowledge;

/// <summary>
/// The knowledge pages' forms (new base, upload) and the documents' state as JSON, which the page polls for live
/// progress while any document is queued or indexing. Owners and admins only.
/// </summary>
public static class KnowledgeEndpoints
{
    public const string Page = "/knowledge";

    public static IEndpointRouteBuilder MapKnowledgeEndpoints(this IEndpointRouteBuilder app)
    {
        var knowledge = app.MapGroup(Page).RequireAuthorization(SaasPolicies.ManageWorkspace);

        knowledge.MapPost("", async ([FromForm] string? name, [FromForm] string? description, KnowledgeLibrary library, HttpContext context,
            CancellationToken cancellationToken) =>
        {
            var (id, refusal) = await library.CreateBaseAsync(name, description, cancellationToken);
            return refusal is null ? FormResponses.Done(context, $"{Page}/{id}", new { id }) : FormResponses.Invalid(context, Page, refusal.Code, refusal.Field);
        });
        knowledge.MapPost("/{knowledgeBaseId:guid}/documents", async (Guid knowledgeBaseId, IFormFile? file, [FromForm] string? url,
            [FromForm] string? language, KnowledgeLibrary library, HttpContext context, CancellationToken cancellationToken) =>
        {
            var (id, refusal) = await library.UploadAsync(knowledgeBaseId, file, url, language, cancellationToken);
            var page = $"{Page}/{knowledgeBaseId}";
            return refusal switch
            {
                null => context.WantsJson() ? Results.Accepted($"{page}/documents", new { id }) : Results.LocalRedirect(page),
                { Code: "not_found" } => FormResponses.NotFound(),
                { Code: "duplicate_document" } => FormResponses.Conflict(context, page, refusal.Code),
                _ => FormResponses.Invalid(context, page, refusal.Code, refusal.Field),
            };
        });
        knowledge.MapGet("/{knowledgeBaseId:guid}/documents", async (Guid knowledgeBaseId, KnowledgeLibrary library, CancellationToken cancellationToken)
            => await library.DocumentsAsync(knowledgeBaseId, cancellationToken) is { } documents ? Results.Ok(documents) : FormResponses.NotFound());
        return app;
    }
}
