using Microsoft.EntityFrameworkCore;
using Npgsql;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.ServiceDefaults.Correlation;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Database;

/// <summary>The DbContext as the services get it (app role, tenant interceptors): its filter, its stamp, its refusals.</summary>
public class TenantFilterTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;
    private TenantRows _a = null!;
    private TenantRows _b = null!;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(database.AppConnectionString);
        _a = await TenantRows.InsertAsync(database.OwnerConnectionString, "tenant-a");
        _b = await TenantRows.InsertAsync(database.OwnerConnectionString, "tenant-b");
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    private SaasDbContext Context(Guid? tenantId) => TenantDbContexts.Create(_dataSource, tenantId);

    [Fact]
    public async Task A_tenant_sees_only_its_conversations_and_messages()
    {
        await using var db = Context(_a.TenantId);

        var conversations = await db.Conversations.Include(c => c.Contact).ToListAsync();
        var messages = await db.Messages.ToListAsync();

        Assert.Equal(_a.ConversationId, Assert.Single(conversations).Id);
        Assert.Equal(_a.ContactId, conversations[0].Contact!.Id);
        Assert.Equal(_a.MessageId, Assert.Single(messages).Id);
        Assert.Equal(MessageContent.FromText("hi"), messages[0].Content);
    }

    [Fact]
    public async Task Row_level_security_holds_even_when_the_query_filter_is_switched_off()
    {
        await using var db = Context(_a.TenantId);

        var tenants = await db.Tenants.IgnoreQueryFilters().Select(t => t.Id).ToListAsync();
        var conversations = await db.Conversations.IgnoreQueryFilters().Select(c => c.TenantId).Distinct().ToListAsync();

        Assert.Equal([_a.TenantId], tenants);
        Assert.Equal([_a.TenantId], conversations);
    }

    [Fact]
    public async Task New_rows_are_stamped_with_the_scope_tenant()
    {
        var contactId = Guid.CreateVersion7();
        await using (var db = Context(_a.TenantId))
        {
            db.Contacts.Add(new Contact { Id = contactId, ChannelId = _a.ChannelId, ExternalId = "visitor-2", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        Assert.Equal(_a.TenantId, await OwnerScalarAsync<Guid>($"SELECT tenant_id FROM contacts WHERE id = '{contactId}'"));
    }

    [Fact]
    public async Task Saving_a_row_of_another_tenant_throws_and_writes_nothing()
    {
        var contactId = Guid.CreateVersion7();
        await using var db = Context(_a.TenantId);
        db.Contacts.Add(new Contact { Id = contactId, TenantId = _b.TenantId, ChannelId = _b.ChannelId, ExternalId = "visitor-3" });

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());

        Assert.Equal(0L, await OwnerScalarAsync<long>($"SELECT count(*) FROM contacts WHERE id = '{contactId}'"));
    }

    [Fact]
    public async Task Saving_without_a_tenant_throws()
    {
        await using var db = Context(null);
        db.Workspaces.Add(new Workspace { Id = Guid.CreateVersion7(), Name = "Orphan" });

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task An_integration_event_is_written_with_the_change_and_the_correlation_id()
    {
        CorrelationContext.Current = "corr-" + Guid.NewGuid().ToString("N");
        var @event = new MessageAdded
        {
            TenantId = _a.TenantId, ConversationId = _a.ConversationId, MessageId = Guid.CreateVersion7(), ChannelId = _a.ChannelId,
            ChannelType = ChannelType.Web, Direction = MessageDirection.Outbound, Content = MessageContent.FromText("hello"), CreatedAt = DateTimeOffset.UtcNow,
        };
        await using (var db = Context(_a.TenantId))
        {
            db.Messages.Add(new Message
            {
                Id = @event.MessageId, ConversationId = _a.ConversationId, ChannelId = _a.ChannelId, Direction = MessageDirection.Outbound,
                Sender = MessageSenders.Agent, Content = @event.Content, CreatedAt = @event.CreatedAt,
            });
            db.AddIntegrationEvent(@event);
            await db.SaveChangesAsync();
        }

        Assert.Equal(CorrelationContext.Current,
            await OwnerScalarAsync<string>($"SELECT correlation_id FROM outbox_messages WHERE id = '{@event.EventId}' AND event_type = 'MessageAdded' AND published_at IS NULL"));
        Assert.Equal(@event.MessageId.ToString(), await OwnerScalarAsync<string>($"SELECT payload->>'messageId' FROM outbox_messages WHERE id = '{@event.EventId}'"));
    }

    [Fact]
    public async Task Every_mapped_column_exists_in_the_schema()
    {
        await using var db = Context(null);
        await using var owner = new NpgsqlConnection(database.OwnerConnectionString);
        await owner.OpenAsync();

        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            foreach (var property in entity.GetProperties())
            {
                var column = property.GetColumnName();
                await using var command = new NpgsqlCommand(
                    "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name = $2", owner);
                command.Parameters.Add(new NpgsqlParameter { Value = table });
                command.Parameters.Add(new NpgsqlParameter { Value = column });
                Assert.True((long)(await command.ExecuteScalarAsync())! == 1, $"{entity.ClrType.Name}.{property.Name} maps to {table}.{column}, which does not exist");
            }
        }
    }

    private async Task<T> OwnerScalarAsync<T>(string sql)
    {
        await using var owner = new NpgsqlConnection(database.OwnerConnectionString);
        await owner.OpenAsync();
        await using var command = new NpgsqlCommand(sql, owner);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
