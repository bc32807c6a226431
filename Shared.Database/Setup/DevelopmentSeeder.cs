using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using SaasAssistants.Contracts;
using SaasAssistants.Database.ApiKeys;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Knowledge;
using SaasAssistants.Database.Secrets;
using SaasAssistants.Database.Tenancy;

namespace SaasAssistants.Database.Setup;

/// <summary>
/// The demo tenant a developer gets on first start: one workspace, assistant, web channel, agent and API key.
/// Idempotent: each row is found by its name and only created or corrected when needed, so a second run with the same
/// options changes nothing and returns the same result. Runs as the owner, inside the setup's transaction.
/// </summary>
internal static class DevelopmentSeeder
{
    private const string TenantName = "Demo Company";
    private const string WorkspaceName = "Main";
    private const string AssistantName = "Demo Assistant";
    private const string ChannelName = "Website chat";
    private const string ApiKeyName = "Demo key";
    private const string WhatsAppChannelName = "WhatsApp";
    private const string InstagramChannelName = "Instagram";

    public static async Task<SeedResult> SeedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SeedOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var protector = new SecretProtector(options.EncryptionKey);
        var tenantContext = new TenantContext();
        await using var db = new SaasDbContext(new DbContextOptionsBuilder<SaasDbContext>().UseNpgsql(connection, npgsql => npgsql.UseVector()).Options, tenantContext);
        await db.Database.UseTransactionAsync(transaction, cancellationToken);
        var now = DateTimeOffset.UtcNow;

        var tenant = await db.Tenants.IgnoreQueryFilters().FirstOrDefaultAsync(t => t.Name == TenantName, cancellationToken);
        if (tenant is null)
        {
            tenant = new Tenant { Id = Guid.CreateVersion7(), Name = TenantName, Plan = "pro", CreatedAt = now };
            db.Tenants.Add(tenant);
            await db.SaveChangesAsync(cancellationToken);
        }
        tenantContext.SetTenant(tenant.Id);

        // Saved step by step: the model maps no navigation between these rows, so EF would not order the inserts.
        var workspace = await db.Workspaces.FirstOrDefaultAsync(w => w.Name == WorkspaceName, cancellationToken);
        if (workspace is null)
        {
            workspace = new Workspace { Id = Guid.CreateVersion7(), Name = WorkspaceName, CreatedAt = now };
            db.Workspaces.Add(workspace);
            await db.SaveChangesAsync(cancellationToken);
        }

        var assistant = await db.Assistants.FirstOrDefaultAsync(a => a.Name == AssistantName, cancellationToken);
        if (assistant is null)
        {
            assistant = new Assistant
            {
                Id = Guid.CreateVersion7(),
                WorkspaceId = workspace.Id,
                Name = AssistantName,
                SystemPrompt = "You are the friendly assistant of Demo Company. Answer briefly and politely in the customer's language. "
                               + "When you do not know something, say so and offer to hand the conversation to a person.",
                // A Brazilian business like the seeds' tenants, with Portuguese knowledge: it greets in Portuguese.
                Greeting = "Olá! Sou o assistente da Demo Company. Como posso ajudar?",
                ProviderSettings = """{"language": "pt-BR"}""",
                BufferTimeoutMs = 3000,
                CreatedAt = now,
            };
            db.Assistants.Add(assistant);
            await db.SaveChangesAsync(cancellationToken);
        }

        var channel = await EnsureWebChannelAsync(db, workspace, assistant, options, protector, now, cancellationToken);
        var whatsApp = await EnsureMessagingChannelAsync(db, workspace, assistant, protector, now, ChannelTypes.WhatsApp, WhatsAppChannelName,
            new SeededChannelSettings(options.WhatsApp.ChannelKey, options.WhatsApp.PhoneNumberId, options.WhatsApp.VerifyToken, options.WhatsApp.AppSecret, options.WhatsApp.AccessToken), cancellationToken);
        var instagram = await EnsureMessagingChannelAsync(db, workspace, assistant, protector, now, ChannelTypes.Instagram, InstagramChannelName,
            new SeededChannelSettings(options.Instagram.ChannelKey, options.Instagram.AccountId, options.Instagram.VerifyToken, options.Instagram.AppSecret, options.Instagram.AccessToken), cancellationToken);
        await EnsureAgentAsync(db, options, now, cancellationToken);
        var apiKey = await EnsureApiKeyAsync(db, options, now, logger, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await EnsureKnowledgeBaseAsync(db, workspace, assistant, now, cancellationToken);

        logger.LogInformation("Development seed ready: tenant {TenantId}, web channel {ChannelToken}, agent {AgentEmail}",
            tenant.Id, channel.PublicToken, options.AgentEmail);
        return new SeedResult(tenant.Id, apiKey, channel.PublicToken, options.AgentEmail, options.AgentPassword) { WhatsApp = whatsApp, Instagram = instagram };
    }

    private static async Task<Channel> EnsureWebChannelAsync(SaasDbContext db, Workspace workspace, Assistant assistant, SeedOptions options,
        SecretProtector protector, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var channel = await db.Channels.FirstOrDefaultAsync(c => c.Type == ChannelTypes.Web && c.Name == ChannelName, cancellationToken);
        if (channel is null)
        {
            channel = new Channel
            {
                Id = Guid.CreateVersion7(),
                WorkspaceId = workspace.Id,
                AssistantId = assistant.Id,
                Type = ChannelTypes.Web,
                Name = ChannelName,
                PublicToken = options.WebChannelToken ?? "wc_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18)),
                SecretEncrypted = protector.Protect(NewChannelSecret()),
                CreatedAt = now,
            };
            db.Channels.Add(channel);
            return channel;
        }

        if (options.WebChannelToken is { } token && token != channel.PublicToken)
        {
            channel.PublicToken = token;
        }
        // A regenerated deployment key makes the stored secret unreadable; a fresh secret keeps the demo working.
        if (!CanDecrypt(protector, channel.SecretEncrypted))
        {
            channel.SecretEncrypted = protector.Protect(NewChannelSecret());
        }

        return channel;
    }

    /// <summary>
    /// A WhatsApp or Instagram channel wired to the channel simulator (provider meta). A setting given wins; one absent
    /// keeps the stored value, or is generated when the channel is new (or its secrets no longer decrypt).
    /// </summary>
    private static async Task<SeededMessagingChannel> EnsureMessagingChannelAsync(SaasDbContext db, Workspace workspace, Assistant assistant,
        SecretProtector protector, DateTimeOffset now, string type, string name, SeededChannelSettings wanted, CancellationToken cancellationToken)
    {
        var channel = await db.Channels.FirstOrDefaultAsync(c => c.Type == type && c.Name == name, cancellationToken);
        var stored = channel is null ? null : TryRead(protector, channel);
        var prefix = type == ChannelTypes.WhatsApp ? "wa_" : "ig_";
        var result = new SeededMessagingChannel(
            wanted.ChannelKey ?? channel?.PublicToken ?? prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18)),
            wanted.AccountId ?? channel?.ExternalId ?? (type == ChannelTypes.WhatsApp ? "1" : "17841") + RandomDigits(type == ChannelTypes.WhatsApp ? 14 : 12),
            wanted.VerifyToken ?? stored?.VerifyToken ?? Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18)),
            wanted.AppSecret ?? stored?.AppSecret ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            wanted.AccessToken ?? stored?.AccessToken ?? "EAAsim" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24)));
        if (channel is null)
        {
            channel = new Channel
            {
                Id = Guid.CreateVersion7(),
                WorkspaceId = workspace.Id,
                AssistantId = assistant.Id,
                Type = type,
                Name = name,
                PublicToken = result.ChannelKey,
                SecretEncrypted = [],
                CreatedAt = now,
            };
            db.Channels.Add(channel);
        }
        channel.Provider = ChannelProviders.Meta;
        channel.PublicToken = result.ChannelKey;
        channel.ExternalId = result.AccountId;
        // Re-encrypted only when something changed, so a second run with the same options changes nothing.
        if (stored != (result.VerifyToken, result.AppSecret, result.AccessToken))
        {
            channel.SecretEncrypted = protector.Protect(result.AppSecret);
            channel.VerifyTokenEncrypted = protector.Protect(result.VerifyToken);
            channel.AccessTokenEncrypted = protector.Protect(result.AccessToken);
        }
        return result;
    }

    private static (string VerifyToken, string AppSecret, string AccessToken)? TryRead(SecretProtector protector, Channel channel)
    {
        if (channel.VerifyTokenEncrypted is null || channel.AccessTokenEncrypted is null)
        {
            return null;
        }

        try
        {
            return (protector.Unprotect(channel.VerifyTokenEncrypted), protector.Unprotect(channel.SecretEncrypted), protector.Unprotect(channel.AccessTokenEncrypted));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static string RandomDigits(int count) => string.Concat(Enumerable.Range(0, count).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10))));

    private sealed record SeededChannelSettings(string? ChannelKey, string? AccountId, string? VerifyToken, string? AppSecret, string? AccessToken);

    private static async Task EnsureAgentAsync(SaasDbContext db, SeedOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hasher = new PasswordHasher<User>();
        var email = options.AgentEmail.ToLowerInvariant();
        // E-mail addresses are unique across tenants (sign-in comes before the tenant is known).
        var agent = await db.Users.IgnoreQueryFilters().FirstOrDefaultAsync(u => u.Email.ToLower() == email, cancellationToken);
        if (agent is null)
        {
            agent = new User { Id = Guid.CreateVersion7(), Email = options.AgentEmail, DisplayName = "Demo Agent", PasswordHash = "", Role = "admin", CreatedAt = now };
            agent.PasswordHash = hasher.HashPassword(agent, options.AgentPassword);
            db.Users.Add(agent);
            return;
        }

        if (agent.TenantId != db.CurrentTenantId)
        {
            throw new InvalidOperationException($"The demo agent's e-mail {options.AgentEmail} already belongs to another tenant.");
        }

        if (hasher.VerifyHashedPassword(agent, agent.PasswordHash, options.AgentPassword) == PasswordVerificationResult.Failed)
        {
            agent.PasswordHash = hasher.HashPassword(agent, options.AgentPassword);
        }
    }

    private static async Task<string> EnsureApiKeyAsync(SaasDbContext db, SeedOptions options, DateTimeOffset now, ILogger logger, CancellationToken cancellationToken)
    {
        var stored = await db.ApiKeys.FirstOrDefaultAsync(k => k.Name == ApiKeyName, cancellationToken);
        if (stored is not null && options.ApiKey is null)
        {
            logger.LogWarning("The demo API key exists and no Seed:ApiKey was given; it cannot be shown again (only its hash is stored)");
            return string.Empty;
        }

        var key = options.ApiKey ?? ApiKeyFormat.Generate();
        if (!ApiKeyFormat.TryGetPrefix(key, out var prefix))
        {
            throw new ArgumentException("Seed:ApiKey is not an API key of the form sa_{prefix}_{secret}.", nameof(options));
        }

        if (stored is null)
        {
            db.ApiKeys.Add(new ApiKey { Id = Guid.CreateVersion7(), Name = ApiKeyName, Prefix = prefix, KeyHash = ApiKeyFormat.Hash(key), CreatedAt = now });
        }
        else if (stored.Prefix != prefix || !ApiKeyFormat.Matches(key, stored.KeyHash) || stored.RevokedAt is not null)
        {
            stored.Prefix = prefix;
            stored.KeyHash = ApiKeyFormat.Hash(key);
            stored.RevokedAt = null;
        }
        return key;
    }

    /// <summary>
    /// Exactly one knowledge base, attached to the demo assistant, with the demo documents. A new or changed document
    /// is stored queued with a knowledge.index task, so the MessageProcessor indexes it on start; an unchanged one is
    /// left alone.
    /// </summary>
    private static async Task EnsureKnowledgeBaseAsync(SaasDbContext db, Workspace workspace, Assistant assistant, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var knowledgeBase = await db.KnowledgeBases.FirstOrDefaultAsync(k => k.WorkspaceId == workspace.Id && k.Name == DevelopmentKnowledge.KnowledgeBaseName, cancellationToken);
        if (knowledgeBase is null)
        {
            knowledgeBase = new KnowledgeBase
            {
                Id = Guid.CreateVersion7(),
                WorkspaceId = workspace.Id,
                Name = DevelopmentKnowledge.KnowledgeBaseName,
                Description = "Opening hours, delivery and prices, in Portuguese and English.",
                // The built-in model; a worker configured with another one re-embeds the base on start.
                EmbeddingModel = "local/all-MiniLM-L6-v2",
                EmbeddingDimensions = 384,
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.KnowledgeBases.Add(knowledgeBase);
            await db.SaveChangesAsync(cancellationToken);
        }
        if (!await db.AssistantKnowledgeBases.AnyAsync(a => a.AssistantId == assistant.Id && a.KnowledgeBaseId == knowledgeBase.Id, cancellationToken))
        {
            db.AssistantKnowledgeBases.Add(new AssistantKnowledgeBase { AssistantId = assistant.Id, KnowledgeBaseId = knowledgeBase.Id, CreatedAt = now });
        }

        var existing = await db.KnowledgeDocuments.Where(d => d.KnowledgeBaseId == knowledgeBase.Id).ToDictionaryAsync(d => d.Name, cancellationToken);
        foreach (var (name, language, markdown) in DevelopmentKnowledge.Documents)
        {
            var content = System.Text.Encoding.UTF8.GetBytes(markdown);
            var checksum = Convert.ToHexStringLower(SHA256.HashData(content));
            if (existing.TryGetValue(name, out var document) && document.Checksum == checksum)
            {
                continue;
            }

            if (document is null)
            {
                document = new KnowledgeDocument
                {
                    Id = Guid.CreateVersion7(), KnowledgeBaseId = knowledgeBase.Id, Name = name, Format = KnowledgeDocumentFormat.Md,
                    Checksum = checksum, Content = content, CreatedAt = now,
                };
                db.KnowledgeDocuments.Add(document);
            }
            document.Content = content;
            document.Checksum = checksum;
            document.SizeBytes = content.Length;
            document.Language = language;
            document.Status = KnowledgeDocumentStatus.Queued;
            document.UpdatedAt = now;
            var task = KnowledgeIndexTask.Create(db.CurrentTenantId!.Value, document.Id, now);
            document.IndexTaskId = task.Id;
            db.Tasks.Add(task);
            // The outbox row as EventBus's AddIntegrationEvent writes it (Shared.Database cannot reference EventBus): the
            // TaskQueued wake-up; a worker's poll would find the task anyway.
            foreach (var @event in task.TakeEvents())
            {
                db.OutboxMessages.Add(new OutboxMessage
                {
                    Id = @event.EventId,
                    TenantId = @event.TenantId,
                    EventType = @event.EventName,
                    Payload = JsonSerializer.Serialize(@event, @event.GetType(), ContractJson.Options),
                    CreatedAt = now,
                });
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string NewChannelSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static bool CanDecrypt(SecretProtector protector, byte[] secret)
    {
        try
        {
            protector.Unprotect(secret);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
