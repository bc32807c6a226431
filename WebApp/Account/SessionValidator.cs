using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Npgsql;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Tenancy;

namespace SaasAssistants.WebApp.Account;

/// <summary>
/// The sign-in cookie lasts hours; this re-checks every few minutes that its user still exists and its tenant is still
/// active, so suspending a tenant (or removing a user) ends their sessions soon, not at the cookie's expiry.
/// </summary>
public sealed class SessionValidator(NpgsqlDataSource dataSource, IOptions<AccountOptions> options, TimeProvider clock, ILogger<SessionValidator> logger)
{
    private const string CheckedAtKey = "session.checked_at";

    public static Task ValidatePrincipal(CookieValidatePrincipalContext context)
        => context.HttpContext.RequestServices.GetRequiredService<SessionValidator>().ValidateAsync(context);

    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var now = clock.GetUtcNow();
        if (now - LastCheck(context.Properties) < options.Value.RevalidateSessionAfter)
        {
            return;
        }

        var principal = context.Principal;
        if (principal?.FindTenantId() is not { } tenantId || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || !await MayStaySignedInAsync(tenantId, userId, context.HttpContext.RequestAborted))
        {
            logger.LogInformation("Session ended: its user or tenant may no longer sign in");
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AccountDefaults.AuthenticationScheme);
            return;
        }

        context.Properties.Items[CheckedAtKey] = now.ToString("O", CultureInfo.InvariantCulture);
        context.ShouldRenew = true;
    }

    private static DateTimeOffset LastCheck(AuthenticationProperties properties)
        => properties.Items.TryGetValue(CheckedAtKey, out var value)
           && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var checkedAt)
            ? checkedAt
            : properties.IssuedUtc ?? DateTimeOffset.MinValue;

    /// <summary>Runs under row level security for the session's own tenant: it can only ever see that tenant's rows.</summary>
    private async Task<bool> MayStaySignedInAsync(Guid tenantId, Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await TenantSetting.ApplyAsync(connection, transaction, tenantId, isLocal: true, cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT t.status FROM tenants t JOIN users u ON u.tenant_id = t.id WHERE t.id = $1 AND u.id = $2", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        var status = await command.ExecuteScalarAsync(cancellationToken) as string;
        await transaction.CommitAsync(cancellationToken);
        return status == TenantStatus.Active;
    }
}
