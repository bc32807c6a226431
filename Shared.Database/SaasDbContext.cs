using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SaasAssistants.Contracts;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Knowledge;
using SaasAssistants.Database.Tasks;
using SaasAssistants.Database.Tenancy;

namespace SaasAssistants.Database;

/// <summary>
/// EF Core over the schema in Migrations/*.sql (the SQL is the source of truth; this only maps it).
/// Tenant-owned sets are filtered to the scope's tenant, and new rows are stamped with it; PostgreSQL's
/// row level security enforces the same rule underneath, for queries EF does not write.
/// </summary>
public sealed class SaasDbContext(DbContextOptions<SaasDbContext> options, ITenantContext tenant) : DbContext(options)
{
    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<User> Users => Set<User>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Assistant> Assistants => Set<Assistant>();
    public DbSet<Channel> Channels => Set<Channel>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<WebhookEvent> WebhookEvents => Set<WebhookEvent>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<TaskItem> Tasks => Set<TaskItem>();
    public DbSet<TaskAttempt> TaskAttempts => Set<TaskAttempt>();
    public DbSet<TaskArtifact> TaskArtifacts => Set<TaskArtifact>();
    public DbSet<KnowledgeBase> KnowledgeBases => Set<KnowledgeBase>();
    public DbSet<AssistantKnowledgeBase> AssistantKnowledgeBases => Set<AssistantKnowledgeBase>();
    public DbSet<KnowledgeDocument> KnowledgeDocuments => Set<KnowledgeDocument>();
    public DbSet<KnowledgeChunk> KnowledgeChunks => Set<KnowledgeChunk>();
    public DbSet<ApiSigningKey> ApiSigningKeys => Set<ApiSigningKey>();
    public DbSet<IdempotencyKey> IdempotencyKeys => Set<IdempotencyKey>();
    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();
    public DbSet<MessageMedia> MessageMedia => Set<MessageMedia>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookDeliveryAttempt> WebhookDeliveryAttempts => Set<WebhookDeliveryAttempt>();
    public DbSet<ConversationNote> ConversationNotes => Set<ConversationNote>();
    public DbSet<TenantNotification> TenantNotifications => Set<TenantNotification>();
    public DbSet<UserInvitation> UserInvitations => Set<UserInvitation>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    /// <summary>The tenant this context acts for; read by the query filters at query time.</summary>
    public Guid? CurrentTenantId => tenant.TenantId;

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Tenant>().HasQueryFilter(t => t.Id == CurrentTenantId);
        model.Entity<Workspace>().HasQueryFilter(e => e.TenantId == CurrentTenantId);
        model.Entity<User>().HasQueryFilter(e => e.TenantId == CurrentTenantId);
        model.Entity<ApiKey>().HasQueryFilter(e => e.TenantId == CurrentTenantId);
        model.Entity<Assistant>(e =>
        {
            e.HasQueryFilter(a => a.TenantId == CurrentTenantId);
            e.Property(a => a.ProviderSettings).HasColumnType("jsonb");
        });
        model.Entity<Channel>().HasQueryFilter(e => e.TenantId == CurrentTenantId);
        model.Entity<Contact>(e =>
        {
            e.HasQueryFilter(c => c.TenantId == CurrentTenantId);
            e.Property(c => c.Metadata).HasColumnType("jsonb");
        });
        model.Entity<Conversation>(e =>
        {
            e.HasQueryFilter(c => c.TenantId == CurrentTenantId);
            e.HasOne(c => c.Contact).WithMany().HasForeignKey(c => c.ContactId);
            e.HasOne(c => c.Channel).WithMany().HasForeignKey(c => c.ChannelId);
            e.Ignore(c => c.AssistantMayReply);
            // Optimistic locking: the entity bumps it on every change, EF checks the loaded value in the WHERE.
            e.Property(c => c.Version).IsConcurrencyToken();
        });
        model.Entity<Message>(e =>
        {
            e.HasQueryFilter(m => m.TenantId == CurrentTenantId);
            // Declared so EF inserts a new conversation before its first message in the same SaveChanges (a started one).
            e.HasOne<Conversation>().WithMany().HasForeignKey(m => m.ConversationId);
            e.Property(m => m.Direction).HasConversion(d => d == MessageDirection.Inbound ? "inbound" : "outbound",
                s => s == "inbound" ? MessageDirection.Inbound : MessageDirection.Outbound);
            e.Property(m => m.Content).HasColumnType("jsonb").HasConversion(
                c => JsonSerializer.Serialize(c, ContractJson.Options),
                s => JsonSerializer.Deserialize<MessageContent>(s, ContractJson.Options)!);
        });
        model.Entity<WebhookEvent>(e =>
        {
            e.HasQueryFilter(w => w.TenantId == CurrentTenantId);
            e.Property(w => w.Status);
            e.Property(w => w.RejectionReason);
            e.Property(w => w.ProcessedAt);
        });
        model.Entity<OutboxMessage>(e =>
        {
            e.HasQueryFilter(o => o.TenantId == CurrentTenantId);
            e.Property(o => o.Payload).HasColumnType("jsonb");
        });
        model.Entity<TaskItem>(e =>
        {
            e.HasQueryFilter(t => t.TenantId == CurrentTenantId);
            // Status and attempt count change together on every claim, rescue and cancel: a save from a stale read fails.
            e.Property(t => t.Status).HasConversion<string>().IsConcurrencyToken();
            e.Property(t => t.AttemptCount).IsConcurrencyToken();
            e.Property(t => t.DomainType).HasConversion<string>();
            e.Property(t => t.CapabilityType).HasConversion<string>();
            e.Property(t => t.ExecutionType).HasConversion<string>();
            e.Property(t => t.Payload).HasColumnType("jsonb");
        });
        model.Entity<TaskAttempt>(e =>
        {
            e.HasQueryFilter(a => a.TenantId == CurrentTenantId);
            // Declared so EF inserts a new task before its attempts and artifacts in the same SaveChanges.
            e.HasOne<TaskItem>().WithMany().HasForeignKey(a => a.TaskId);
            e.Property(a => a.Status).HasConversion<string>();
            e.Property(a => a.Cost).HasPrecision(12, 6);
        });
        model.Entity<TaskArtifact>(e =>
        {
            e.HasQueryFilter(a => a.TenantId == CurrentTenantId);
            e.HasOne<TaskItem>().WithMany().HasForeignKey(a => a.TaskId);
            e.Property(a => a.Kind).HasConversion(k => k.ToString().ToLowerInvariant(), s => Enum.Parse<TaskArtifactKind>(s, true));
        });

        model.Entity<KnowledgeBase>().HasQueryFilter(k => k.TenantId == CurrentTenantId);
        model.Entity<AssistantKnowledgeBase>(e =>
        {
            e.HasQueryFilter(a => a.TenantId == CurrentTenantId);
            e.HasKey(a => new { a.TenantId, a.AssistantId, a.KnowledgeBaseId });
        });
        model.Entity<KnowledgeDocument>(e =>
        {
            e.HasQueryFilter(d => d.TenantId == CurrentTenantId);
            e.HasOne<KnowledgeBase>().WithMany().HasForeignKey(d => d.KnowledgeBaseId);
            e.Property(d => d.Format).HasConversion(f => f.ToString().ToLowerInvariant(), s => Enum.Parse<KnowledgeDocumentFormat>(s, true));
            e.Property(d => d.Status).HasConversion(v => v.ToString().ToLowerInvariant(), s => Enum.Parse<KnowledgeDocumentStatus>(s, true));
        });
        model.Entity<KnowledgeChunk>(e =>
        {
            e.HasQueryFilter(c => c.TenantId == CurrentTenantId);
            e.HasOne<KnowledgeDocument>().WithMany().HasForeignKey(c => c.DocumentId);
            e.Property(c => c.Embedding).HasColumnType("vector(384)");
        });

        model.Entity<IdempotencyKey>(e =>
        {
            e.HasQueryFilter(k => k.TenantId == CurrentTenantId);
            e.HasKey(k => new { k.TenantId, k.Key });
        });

        model.Entity<WebhookSubscription>().HasQueryFilter(w => w.TenantId == CurrentTenantId);
        model.Entity<MessageMedia>().HasQueryFilter(m => m.TenantId == CurrentTenantId);
        model.Entity<WebhookDelivery>().HasQueryFilter(d => d.TenantId == CurrentTenantId);
        model.Entity<WebhookDeliveryAttempt>().HasQueryFilter(a => a.TenantId == CurrentTenantId);
        model.Entity<ConversationNote>().HasQueryFilter(n => n.TenantId == CurrentTenantId);
        model.Entity<TenantNotification>().HasQueryFilter(n => n.TenantId == CurrentTenantId);
        model.Entity<UserInvitation>().HasQueryFilter(i => i.TenantId == CurrentTenantId);
        model.Entity<AuditEvent>(e =>
        {
            e.HasQueryFilter(a => a.TenantId == CurrentTenantId);
            e.Property(a => a.Details).HasColumnType("jsonb");
        });

        ApplySnakeCaseNames(model);
        // The entity is TaskItem only to avoid System.Threading.Tasks.Task; the table keeps the seeds' name.
        model.Entity<TaskItem>().ToTable("tasks");
        model.Entity<MessageMedia>().ToTable("message_media");
        model.Entity<WebhookDelivery>().ToTable("webhook_deliveries");
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampTenant();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampTenant();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>New rows take the scope's tenant; a row of another tenant can be neither added nor changed.</summary>
    private void StampTenant()
    {
        foreach (var entry in ChangeTracker.Entries<ITenantOwned>())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }

            var current = tenant.TenantId
                ?? throw new InvalidOperationException($"Cannot save a {entry.Entity.GetType().Name} without a tenant in scope.");
            if (entry.State == EntityState.Added && entry.Entity.TenantId == Guid.Empty)
            {
                entry.Entity.TenantId = current;
            }

            if (entry.Entity.TenantId != current)
            {
                throw new InvalidOperationException($"A {entry.Entity.GetType().Name} of another tenant cannot be saved in this scope.");
            }
        }
    }

    /// <summary>The SQL schema uses snake_case; EF's defaults are PascalCase.</summary>
    private static void ApplySnakeCaseNames(ModelBuilder model)
    {
        foreach (IMutableEntityType entity in model.Model.GetEntityTypes())
        {
            entity.SetTableName(ToSnakeCase(entity.ClrType.Name) + "s");
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }
        }
    }

    internal static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }
        return builder.ToString();
    }
}
