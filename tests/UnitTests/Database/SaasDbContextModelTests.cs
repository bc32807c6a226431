using Microsoft.EntityFrameworkCore;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.Database.Tenancy;
using Xunit;

namespace SaasAssistants.UnitTests.Database;

/// <summary>What the DbContext decides before it ever talks to PostgreSQL: names, and which rows it refuses to save.</summary>
public class SaasDbContextModelTests
{
    // Nothing listens on port 1: a test that reached the database would fail loudly instead of passing by accident.
    private static SaasDbContext Context(Guid? tenantId)
    {
        var tenant = new TenantContext();
        if (tenantId is { } id)
        {
            tenant.SetTenant(id);
        }

        var options = new DbContextOptionsBuilder<SaasDbContext>().UseNpgsql("Host=127.0.0.1;Port=1;Timeout=1", npgsql => npgsql.UseVector()).Options;
        return new SaasDbContext(options, tenant);
    }

    [Theory]
    [InlineData(typeof(Tenant), "tenants")]
    [InlineData(typeof(ApiKey), "api_keys")]
    [InlineData(typeof(WebhookEvent), "webhook_events")]
    [InlineData(typeof(OutboxMessage), "outbox_messages")]
    [InlineData(typeof(Conversation), "conversations")]
    public void Tables_are_snake_case_plurals(Type entity, string table)
    {
        using var db = Context(null);

        Assert.Equal(table, db.Model.FindEntityType(entity)!.GetTableName());
    }

    [Theory]
    [InlineData(typeof(Assistant), nameof(Assistant.BufferTimeoutMs), "buffer_timeout_ms")]
    [InlineData(typeof(Message), nameof(Message.ChannelMessageId), "channel_message_id")]
    [InlineData(typeof(WebhookEvent), nameof(WebhookEvent.RejectionReason), "rejection_reason")]
    [InlineData(typeof(Channel), nameof(Channel.SecretEncrypted), "secret_encrypted")]
    [InlineData(typeof(Tenant), nameof(Tenant.Id), "id")]
    public void Columns_are_snake_case(Type entity, string property, string column)
    {
        using var db = Context(null);

        Assert.Equal(column, db.Model.FindEntityType(entity)!.FindProperty(property)!.GetColumnName());
    }

    [Fact]
    public async Task A_row_of_another_tenant_is_refused_before_reaching_the_database()
    {
        await using var db = Context(Guid.NewGuid());
        db.Contacts.Add(new Contact { Id = Guid.NewGuid(), TenantId = Guid.NewGuid(), ChannelId = Guid.NewGuid(), ExternalId = "x" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        Assert.Contains("another tenant", error.Message);
    }

    [Fact]
    public async Task Changing_a_row_of_another_tenant_is_refused()
    {
        await using var db = Context(Guid.NewGuid());
        var message = new Message
        {
            Id = Guid.NewGuid(), TenantId = Guid.NewGuid(), ConversationId = Guid.NewGuid(), ChannelId = Guid.NewGuid(),
            Sender = MessageSenders.Agent, Content = MessageContent.FromText("hi"),
        };
        db.Messages.Attach(message);
        message.Model = "changed";

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public void Saving_without_a_tenant_is_refused()
    {
        using var db = Context(null);
        db.Workspaces.Add(new Workspace { Id = Guid.NewGuid(), Name = "Main" });

        var error = Assert.Throws<InvalidOperationException>(() => db.SaveChanges());
        Assert.Contains("without a tenant", error.Message);
    }
}
