using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Mvc;
using SaasAssistants.Contracts;
using SaasAssistants.WebApp.Account;
using SaasAssistants.WebApp.Conversations;

namespace SaasAssistants.WebApp.Contacts;

/// <summary>
/// The contact page's forms (post/redirect/get, antiforgery checked) and the LGPD export download. Editing is for every
/// agent; export and erasure, which hand out or destroy a person's data, are for owners and admins only.
/// </summary>
public static class ContactEndpoints
{
    public static IEndpointRouteBuilder MapContactEndpoints(this IEndpointRouteBuilder app)
    {
        var contact = app.MapGroup("/contacts/{contactId:guid}").RequireAuthorization();

        contact.MapPost("/", async (Guid contactId, [FromForm] string? displayName, [FromForm] string? email, [FromForm] string? phone,
            [FromForm] string? notes, [FromForm] string? tags, ClaimsPrincipal user, ContactActions actions, CancellationToken cancellationToken) =>
        {
            var (found, error) = await actions.UpdateAsync(contactId, new ContactEdit(displayName, email, phone, notes, tags), user, cancellationToken);
            return !found ? NotFound()
                : Results.LocalRedirect(error is null ? $"/contacts/{contactId}?saved=true" : $"/contacts/{contactId}?error={error}");
        });

        contact.MapGet("/export", async (Guid contactId, ClaimsPrincipal user, ContactActions actions, CancellationToken cancellationToken) =>
            await actions.ExportAsync(contactId, user, cancellationToken) is { } export
                ? Results.File(JsonSerializer.SerializeToUtf8Bytes(export, ExportJson), "application/json", $"contact-{contactId}.json")
                : NotFound())
            .RequireAuthorization(SaasPolicies.ManageWorkspace);

        contact.MapPost("/erase", async (Guid contactId, ClaimsPrincipal user, ContactActions actions, CancellationToken cancellationToken) =>
            await actions.EraseAsync(contactId, user, cancellationToken)
                ? Results.LocalRedirect($"/contacts/{contactId}?erased=true")
                : NotFound())
            .WithFormAntiforgery()
            .RequireAuthorization(SaasPolicies.ManageWorkspace);
        return app;
    }

    // A file for a person to read: indented, and accents kept as they are (escaping stays on for HTML-sensitive characters).
    private static readonly JsonSerializerOptions ExportJson = new(ContractJson.Options)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    private static IResult NotFound() => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "The contact was not found.");
}
