using System.Net.Mail;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Tenancy;

namespace SaasAssistants.WebApp.Account;

/// <summary>
/// Sign-up (seed 004's saga): the organisation (tenant), its first workspace and its owner are created together or not
/// at all. Every step is a row in the same database, so the saga is one transaction: a failing step (the email already
/// belongs to someone, which only the unique index on users can tell across tenants) rolls back the steps before it,
/// and nothing half-made is left to compensate. Signing in comes after the commit; if that fails, the account exists
/// and the login page works.
/// </summary>
public sealed class TenantSignUp(SaasDbContext db, ITenantContext tenantScope, IPasswordHasher<User> hasher, TimeProvider clock,
    ILogger<TenantSignUp> logger)
{
    public async Task<SignUpResult> CreateAsync(SignUpInput input, string? language, CancellationToken cancellationToken)
    {
        var organization = input.OrganizationName?.Trim();
        var ownerName = input.OwnerName?.Trim();
        var email = input.Email?.Trim();
        if (string.IsNullOrEmpty(organization) || string.IsNullOrEmpty(ownerName) || string.IsNullOrEmpty(email) || string.IsNullOrEmpty(input.Password))
        {
            return SignUpResult.Refused(SignUpErrors.MissingField);
        }
        if (!MailAddress.TryCreate(email, out var address) || address.Address != email)
        {
            return SignUpResult.Refused(SignUpErrors.InvalidEmail);
        }
        if (input.Password.Length < SignUpDefaults.MinPasswordLength)
        {
            return SignUpResult.Refused(SignUpErrors.PasswordTooShort);
        }

        var now = clock.GetUtcNow();
        var tenant = new Tenant { Id = Guid.CreateVersion7(), Name = organization, Language = language, TimeZone = SignUpDefaults.DefaultTimeZone, CreatedAt = now };
        var owner = new User { Id = Guid.CreateVersion7(), TenantId = tenant.Id, Email = email, DisplayName = ownerName, PasswordHash = "", Role = "owner", CreatedAt = now };
        owner.PasswordHash = hasher.HashPassword(owner, input.Password);

        // Row level security lets this scope write the new tenant's rows only: the tenant row itself first.
        tenantScope.SetTenant(tenant.Id);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            db.Tenants.Add(tenant);
            await db.SaveChangesAsync(cancellationToken);
            db.Workspaces.Add(new Workspace { Id = Guid.CreateVersion7(), Name = organization, CreatedAt = now });
            db.Users.Add(owner);
            db.AuditEvents.Add(new AuditEvent
            {
                Id = Guid.CreateVersion7(), ActorId = owner.Id, ActorName = ownerName, Action = AuditActions.TenantSignedUp,
                SubjectType = "tenant", SubjectId = tenant.Id, OccurredAt = now,
                Details = JsonSerializer.Serialize(new { plan = tenant.Plan }),
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            logger.LogInformation("Sign-up undone: the owner's email is already taken");
            return SignUpResult.Refused(SignUpErrors.EmailTaken);
        }

        logger.LogInformation("Tenant {TenantId} signed up with owner {UserId}", tenant.Id, owner.Id);
        return SignUpResult.Created(new SignInCandidate(owner.Id, tenant.Id, ownerName, owner.Role, TenantActive: true, language));
    }
}
