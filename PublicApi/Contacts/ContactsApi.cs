using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Asp.Versioning.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.PublicApi.Authentication;
using SaasAssistants.PublicApi.Http;
using SaasAssistants.PublicApi.Paging;
using SaasAssistants.PublicApi.Versioning;

namespace SaasAssistants.PublicApi.Contacts;

/// <summary>
/// The tenant's contacts: v1 lists by page (X-Total-Count), v2 by cursor; both get and update (name, metadata). Tenant
/// scoping comes from the context's filters and row level security: another tenant's contact is a 404.
/// </summary>
public static class ContactsApi
{
    private const int MaxMetadataBytes = 16 * 1024;
    private const int MaxDisplayNameLength = 200;

    public static IEndpointRouteBuilder MapContactsApi(this IEndpointRouteBuilder app)
    {
        var contacts = app.NewVersionedApi("Contacts");
        var v1 = contacts.MapGroup(ApiVersions.Route("/contacts")).HasApiVersion(ApiVersions.V1);
        var v2 = contacts.MapGroup(ApiVersions.Route("/contacts")).HasApiVersion(ApiVersions.V2);
        var both = contacts.MapGroup(ApiVersions.Route("/contacts")).HasApiVersion(ApiVersions.V1).HasApiVersion(ApiVersions.V2);
        foreach (var group in new[] { v1, v2, both })
        {
            group.WithTags("Contacts").RequireApiKey().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        }

        v1.MapGet("/", ListContacts).WithName("ListContacts").RequireScope(ApiScopes.ContactsRead)
            .WithSummary("Lists contacts, newest first; ?search= matches the name or the channel id.")
            .WithTotalCountHeader("contacts");
        v2.MapGet("/", ListContactsV2).WithName("ListContactsV2").RequireScope(ApiScopes.ContactsRead)
            .WithSummary("Lists contacts, newest first, a page at a time (follow nextCursor); ?search= matches the name or the channel id.");
        both.MapGet("/{id:guid}", GetContact).WithName("GetContact").RequireScope(ApiScopes.ContactsRead)
            .WithSummary("Gets one contact.").ProducesProblem(StatusCodes.Status404NotFound);
        both.MapPatch("/{id:guid}", UpdateContact).WithName("UpdateContact").RequireScope(ApiScopes.ContactsWrite)
            .WithSummary("Changes a contact's name and/or replaces its metadata.")
            .Accepts<UpdateContactRequest>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    public static async Task<Results<Ok<ContactDetails[]>, ValidationProblem>> ListContacts(
        [AsParameters] PageRequest page, [FromQuery(Name = "search")][Description("Part of the name or of the channel id, any case.")] string? search,
        SaasDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        if (page.Validate() is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var rows = await Search(db, search).OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .ToPageAsync(c => c, page, response, cancellationToken);
        return TypedResults.Ok(Array.ConvertAll(rows, ToDetails));
    }

    public static async Task<Results<Ok<CursorPage<ContactDetails>>, ValidationProblem>> ListContactsV2(
        [AsParameters] CursorRequest page, [FromQuery(Name = "search")][Description("Part of the name or of the channel id, any case.")] string? search,
        SaasDbContext db, CancellationToken cancellationToken)
    {
        if (page.Validate(out var after) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var query = Search(db, search);
        if (after is { } position)
        {
            query = query.Where(c => EF.Functions.LessThan(ValueTuple.Create(c.CreatedAt, c.Id), ValueTuple.Create(position.At, position.Id)));
        }
        var rows = await query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Take(page.Limit + 1).ToArrayAsync(cancellationToken);
        return TypedResults.Ok(CursorPage<ContactDetails>.From(Array.ConvertAll(rows, ToDetails), page.Limit, c => new PageCursor(c.CreatedAt, c.Id)));
    }

    public static async Task<Results<Ok<ContactDetails>, ProblemHttpResult>> GetContact(Guid id, SaasDbContext db, CancellationToken cancellationToken)
        => await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken) is { } contact
            ? TypedResults.Ok(ToDetails(contact))
            : NotFound();

    public static async Task<Results<Ok<ContactDetails>, ValidationProblem, ProblemHttpResult>> UpdateContact(
        Guid id, HttpRequest request, SaasDbContext db, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<UpdateContactRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new Dictionary<string, string[]>();
        if (body!.DisplayName is { } name && (string.IsNullOrWhiteSpace(name) || name.Length > MaxDisplayNameLength))
        {
            errors["displayName"] = [$"displayName must be 1 to {MaxDisplayNameLength} characters."];
        }
        if (body.Metadata is { } metadata && (metadata.ValueKind != JsonValueKind.Object || Encoding.UTF8.GetByteCount(metadata.GetRawText()) > MaxMetadataBytes))
        {
            errors["metadata"] = [$"metadata must be a JSON object of at most {MaxMetadataBytes / 1024} KB."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var contact = await db.Contacts.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (contact is null)
        {
            return NotFound();
        }
        if (body.DisplayName is { } displayName)
        {
            contact.DisplayName = displayName.Trim();
        }
        if (body.Metadata is { } newMetadata)
        {
            contact.Metadata = newMetadata.GetRawText();
        }
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ToDetails(contact));
    }

    private static IQueryable<Contact> Search(SaasDbContext db, string? search)
    {
        var query = db.Contacts.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            // ILIKE's wildcards in the search are literal text, not patterns.
            var pattern = "%" + search.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            query = query.Where(c => EF.Functions.ILike(c.DisplayName!, pattern) || EF.Functions.ILike(c.ExternalId, pattern));
        }
        return query;
    }

    private static ContactDetails ToDetails(Contact contact)
        => new(contact.Id, contact.ChannelId, contact.ExternalId, contact.DisplayName, JsonDocument.Parse(contact.Metadata).RootElement.Clone(), contact.CreatedAt);

    private static ProblemHttpResult NotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: "Contact not found.",
            extensions: new Dictionary<string, object?> { ["code"] = "contact_not_found" });
}
