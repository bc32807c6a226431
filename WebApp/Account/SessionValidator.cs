using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.Options;
using Npgsql;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Tenancy;

namespace SaasAssistants.WebApp.Account;

/// <summary>
/// The sign-in cookie lasts hours; this re-checks (on every request but a static file's by default, see
/// <see cref="AccountOptions.RevalidateSessionAfter"/>) that its user was not removed and its tenant is still active, so
/// removing a user or suspending a tenant ends their sessions at once, not at the cookie's expiry. A changed role
/// replaces the cookie's, so a demoted admin loses the management pages on the next request too.
/// </summary>
public sealed class SessionValidator(NpgsqlDataSource dataSource, IOptions<AccountOptions> options, TimeProvider clock, ILogger<SessionValidator> logger)
{
    private const string CheckedAtKey = "session.checked_at";

    public static Task ValidatePrincipal(CookieValidatePrincipalContext context)
        => context.HttpContext.RequestServices.GetRequiredService<SessionValidator>().ValidateAsync(context);

    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        // MapStaticAssets' files are endpoints served after UseAuthentication, so each script, style and icon of a page
        // would cost a query. They show nobody's data and need no session; every page, hub and API request (and a path
        // that matched nothing) is still checked.
        if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<StaticAssetDescriptor>() is not null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        if (now - LastCheck(context.Properties) < options.Value.RevalidateSessionAfter)
        {
            return;
        }

        var principal = context.Principal;
        var role = principal?.FindTenantId() is { } tenantId && Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            ? await CurrentRoleAsync(tenantId, userId, context.HttpContext.RequestAborted)
            : null;
        if (principal is null || role is null)
        {
            logger.LogInformation("Session ended: its user or tenant may no longer sign in");
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AccountDefaults.AuthenticationScheme);
            return;
        }

        if (principal.FindFirstValue(ClaimTypes.Role) != role && principal.Identity is ClaimsIdentity identity)
        {
            var changed = identity.Clone();
            changed.RemoveClaim(changed.FindFirst(ClaimTypes.Role));
            changed.AddClaim(new Claim(ClaimTypes.Role, role));
            context.ReplacePrincipal(new ClaimsPrincipal(changed));
            context.ShouldRenew = true;
        }
        if (options.Value.RevalidateSessionAfter > TimeSpan.Zero)
        {
            context.Properties.Items[CheckedAtKey] = now.ToString("O", CultureInfo.InvariantCulture);
            context.ShouldRenew = true;
        }
    }

    private static DateTimeOffset LastCheck(AuthenticationProperties properties)
        => properties.Items.TryGetValue(CheckedAtKey, out var value)
           && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var checkedAt)
            ? checkedAt
            : properties.IssuedUtc ?? DateTimeOffset.MinValue;

    /// <summary>
    /// The user's role while it may stay signed in (not removed, tenant active), otherwise null. Runs under row level
    /// security for the session's own tenant: it can only ever see that tenant's rows.
    /// </summary>
    private async Task<string?> CurrentRoleAsync(Guid tenantId, Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await TenantSetting.ApplyAsync(connection, transaction, tenantId, isLocal: true, cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SELECT u.role FROM tenants t JOIN users u ON u.tenant_id = t.id WHERE t.id = $1 AND u.id = $2 AND u.removed_at IS NULL AND t.status = '{TenantStatus.Active}'",
            connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        var role = await command.ExecuteScalarAsync(cancellationToken) as string;
        await transaction.CommitAsync(cancellationToken);
        return role;
    }
}
