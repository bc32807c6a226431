using System.Text.Json;
using Npgsql;
using SaasAssistants.Database;
using SaasAssistants.Database.Conversations;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.IntegrationTests.Database;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Conversations;

/// <summary>The agents' actions against a real database, as the app role (row level security on), outbox included.</summary>
public sealed class AgentActionsTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = default!;
    private ConversationRows _rows = default!;
    private RowsTenant _tenant = default!;
    private Guid _agent;
    private Guid _whatsApp;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(database.AppConnectionString);
        _rows = new ConversationRows(database.OwnerConnectionString);
        _tenant = await _rows.AddTenantAsync();
        _agent = await _rows.AddAgentAsync(_tenant);
        _whatsApp = await _rows.AddChannelAsync(_tenant, "whatsapp", "meta");
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    private (AgentActions Actions, SaasDbContext Db) Actions(Guid? tenantId = null)
    {
        var db = TenantDbContexts.Create(_dataSource, tenantId ?? _tenant.TenantId);
        return (new AgentActions(db, new ConversationOutbox(db), TimeProvider.System), db);
    }

    private Task<long> EventsAsync(Guid conversationId, string eventType) => _rows.ScalarAsync<long>(
        "SELECT count(*) FROM outbox_messages WHERE event_type = $1 AND payload->>'conversationId' = $2", eventType, conversationId.ToString());

    [Fact]
    public async Task An_agent_s_whatsapp_reply_is_stored_queued_for_sending_and_takes_the_conversation_over()
    {
        var conversation = await _rows.AddConversationAsync(_tenant, _whatsApp, DateTimeOffset.UtcNow.AddHours(-1));
        var (actions, db) = Actions();
        await using var scope = db;

        var result = await actions.ReplyAsync(conversation.ConversationId, new AgentReply("  Olá, aqui é a Ana.  ", _agent), CancellationToken.None);

        Assert.Equal(AgentActionStatus.Done, result.Status);
        var id = result.Message!.Id;
        Assert.Equal(("outbound", "agent", _agent, "Olá, aqui é a Ana.", "queued"), (
            await _rows.ScalarAsync<string>("SELECT direction FROM messages WHERE id = $1", id),
            await _rows.ScalarAsync<string>("SELECT sender FROM messages WHERE id = $1", id),
            await _rows.ScalarAsync<Guid>("SELECT agent_id FROM messages WHERE id = $1", id),
            await _rows.ScalarAsync<string>("SELECT content->>'text' FROM messages WHERE id = $1", id),
            await _rows.ScalarAsync<string>("SELECT delivery_status FROM messages WHERE id = $1", id)));
        var payload = await _rows.ScalarAsync<string>("SELECT payload::text FROM tasks WHERE type = 'message.send' AND payload->>'messageId' = $1 AND status = 'Queued'", id.ToString());
        Assert.False(JsonDocument.Parse(payload).RootElement.TryGetProperty("template", out _));
        Assert.Equal(("human", _agent, "PROGRESS"), (
            await _rows.ScalarAsync<string>("SELECT handoff FROM conversations WHERE id = $1", conversation.ConversationId),
            await _rows.ScalarAsync<Guid>("SELECT assigned_agent_id FROM conversations WHERE id = $1", conversation.ConversationId),
            await _rows.ScalarAsync<string>("SELECT state FROM conversations WHERE id = $1", conversation.ConversationId)));
        Assert.Equal(1, await EventsAsync(conversation.ConversationId, "MessageAdded"));
        Assert.Equal(1, await EventsAsync(conversation.ConversationId, "ConversationHandoffChanged"));
        Assert.Equal(1, await EventsAsync(conversation.ConversationId, "ConversationStateChanged"));
        // The widget's live path is for web conversations only.
        Assert.Equal(0, await EventsAsync(conversation.ConversationId, "AiResponseGenerated"));
    }

    [Fact]
    public async Task Outside_whatsapp_s_24_hour_window_only_a_template_goes_out()
    {
        var conversation = await _rows.AddConversationAsync(_tenant, _whatsApp, DateTimeOffset.UtcNow.AddHours(-25));
        var (actions, db) = Actions();
        await using var scope = db;

        var refused = await actions.ReplyAsync(conversation.ConversationId, new AgentReply("Ainda precisa de ajuda?", _agent), CancellationToken.None);
        var template = await actions.ReplyAsync(conversation.ConversationId,
            new AgentReply(null, _agent, new ReplyTemplate("follow_up", "pt_BR", ["Maria"])), CancellationToken.None);

        Assert.Equal((AgentActionStatus.Conflict, AgentActionErrors.OutsideServiceWindow), (refused.Status, refused.Error));
        Assert.Equal(AgentActionStatus.Done, template.Status);
        Assert.Equal(1, await _rows.ScalarAsync<long>("SELECT count(*) FROM messages WHERE conversation_id = $1 AND direction = 'outbound'", conversation.ConversationId));
        Assert.Equal("[follow_up]", await _rows.ScalarAsync<string>("SELECT content->>'text' FROM messages WHERE id = $1", template.Message!.Id));
        var payload = JsonDocument.Parse(await _rows.ScalarAsync<string>("SELECT payload::text FROM tasks WHERE payload->>'messageId' = $1", template.Message.Id.ToString())).RootElement;
        Assert.Equal(("follow_up", "pt_BR", "Maria"), (payload.GetProperty("template").GetProperty("name").GetString(),
            payload.GetProperty("template").GetProperty("language").GetString(), payload.GetProperty("template").GetProperty("parameters")[0].GetString()));
    }

    [Fact]
    public async Task A_web_widget_reply_goes_the_assistant_s_live_way_to_the_gateway_without_a_send_task()
    {
        var web = await _rows.AddChannelAsync(_tenant, "web");
        var conversation = await _rows.AddConversationAsync(_tenant, web, DateTimeOffset.UtcNow.AddDays(-3));
        var (actions, db) = Actions();
        await using var scope = db;

        var result = await actions.ReplyAsync(conversation.ConversationId, new AgentReply("Oi!", _agent), CancellationToken.None);

        Assert.Equal(AgentActionStatus.Done, result.Status);
        var reply = JsonDocument.Parse(await _rows.ScalarAsync<string>(
            "SELECT payload::text FROM outbox_messages WHERE event_type = 'AiResponseGenerated' AND payload->>'messageId' = $1", result.Message!.Id.ToString())).RootElement;
        Assert.Equal((conversation.ContactExternalId, "agent", "Oi!"),
            (reply.GetProperty("externalContactId").GetString(), reply.GetProperty("model").GetString(), reply.GetProperty("content").GetProperty("text").GetString()));
        Assert.Equal(0, await _rows.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE payload->>'messageId' = $1", result.Message.Id.ToString()));
    }

    [Fact]
    public async Task Close_refuses_replies_and_reopen_brings_the_conversation_back_unless_the_contact_has_a_newer_one()
    {
        var conversation = await _rows.AddConversationAsync(_tenant, _whatsApp, DateTimeOffset.UtcNow.AddMinutes(-5));
        var (actions, db) = Actions();
        await using var scope = db;

        Assert.True((await actions.CloseAsync(conversation.ConversationId, CancellationToken.None)).Succeeded);
        var reply = await actions.ReplyAsync(conversation.ConversationId, new AgentReply("Oi", _agent), CancellationToken.None);
        Assert.Equal((AgentActionStatus.Conflict, AgentActionErrors.ConversationEnded), (reply.Status, reply.Error));
        Assert.Equal(("CLOSED", "closed"), (
            await _rows.ScalarAsync<string>("SELECT state FROM conversations WHERE id = $1", conversation.ConversationId),
            await _rows.ScalarAsync<string>("SELECT status FROM conversations WHERE id = $1", conversation.ConversationId)));

        Assert.True((await actions.ReopenAsync(conversation.ConversationId, CancellationToken.None)).Succeeded);
        Assert.Equal("PROGRESS", await _rows.ScalarAsync<string>("SELECT state FROM conversations WHERE id = $1", conversation.ConversationId));
        Assert.Equal(2, await EventsAsync(conversation.ConversationId, "ConversationStateChanged"));

        // Closed again, and meanwhile the customer wrote: that opened a newer conversation, which is where to continue.
        Assert.True((await actions.CloseAsync(conversation.ConversationId, CancellationToken.None)).Succeeded);
        await _rows.ExecuteAsync("""
            INSERT INTO conversations (id, tenant_id, workspace_id, channel_id, contact_id) VALUES (gen_random_uuid(), $1, $2, $3, $4)
            """, _tenant.TenantId, _tenant.WorkspaceId, _whatsApp, conversation.ContactId);
        var reopen = await actions.ReopenAsync(conversation.ConversationId, CancellationToken.None);
        Assert.Equal((AgentActionStatus.Conflict, AgentActionErrors.ContactHasOpenConversation), (reopen.Status, reopen.Error));
        Assert.Equal("CLOSED", await _rows.ScalarAsync<string>("SELECT state FROM conversations WHERE id = $1", conversation.ConversationId));
    }

    [Fact]
    public async Task Hand_back_needs_an_assistant()
    {
        var withAssistant = await _rows.AddConversationAsync(_tenant, _whatsApp, DateTimeOffset.UtcNow.AddMinutes(-5));
        var without = await _rows.AddConversationAsync(_tenant, await _rows.AddChannelAsync(_tenant, "instagram", "meta"), DateTimeOffset.UtcNow, withAssistant: false);
        var (actions, db) = Actions();
        await using var scope = db;
        await actions.AssignAsync(withAssistant.ConversationId, _agent, CancellationToken.None);
        await actions.AssignAsync(without.ConversationId, _agent, CancellationToken.None);

        var back = await actions.HandBackAsync(withAssistant.ConversationId, CancellationToken.None);
        var refused = await actions.HandBackAsync(without.ConversationId, CancellationToken.None);

        Assert.True(back.Succeeded);
        Assert.Equal("assistant", await _rows.ScalarAsync<string>("SELECT handoff FROM conversations WHERE id = $1", withAssistant.ConversationId));
        Assert.Equal((AgentActionStatus.Conflict, AgentActionErrors.NoAssistant), (refused.Status, refused.Error));
        Assert.Equal("human", await _rows.ScalarAsync<string>("SELECT handoff FROM conversations WHERE id = $1", without.ConversationId));
    }

    [Fact]
    public async Task A_note_is_stored_for_the_team_and_never_becomes_a_message()
    {
        var conversation = await _rows.AddConversationAsync(_tenant, _whatsApp, DateTimeOffset.UtcNow.AddMinutes(-5));
        var (actions, db) = Actions();
        await using var scope = db;

        var result = await actions.AddNoteAsync(conversation.ConversationId, _agent, "Cliente VIP, oferecer frete grátis.", CancellationToken.None);
        var empty = await actions.AddNoteAsync(conversation.ConversationId, _agent, "   ", CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal("Cliente VIP, oferecer frete grátis.", await _rows.ScalarAsync<string>("SELECT text FROM conversation_notes WHERE id = $1", result.Note!.Id));
        Assert.Equal(0, await _rows.ScalarAsync<long>("SELECT count(*) FROM messages WHERE conversation_id = $1 AND direction = 'outbound'", conversation.ConversationId));
        Assert.Equal(0, await _rows.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE type = 'message.send' AND payload::text LIKE '%' || $1 || '%'", result.Note.Id.ToString()));
        Assert.Equal(1, await EventsAsync(conversation.ConversationId, "ConversationNoteAdded"));
        Assert.Equal((AgentActionStatus.Invalid, "text"), (empty.Status, empty.Field));
    }

    [Fact]
    public async Task Another_tenant_s_conversation_is_not_found_and_its_agent_is_not_ours()
    {
        var other = await _rows.AddTenantAsync();
        var otherAgent = await _rows.AddAgentAsync(other);
        var theirs = await _rows.AddConversationAsync(other, await _rows.AddChannelAsync(other, "web"), DateTimeOffset.UtcNow);
        var ours = await _rows.AddConversationAsync(_tenant, _whatsApp, DateTimeOffset.UtcNow);
        var (actions, db) = Actions();
        await using var scope = db;

        var reply = await actions.ReplyAsync(theirs.ConversationId, new AgentReply("Oi", _agent), CancellationToken.None);
        var close = await actions.CloseAsync(theirs.ConversationId, CancellationToken.None);
        var note = await actions.AddNoteAsync(theirs.ConversationId, _agent, "x", CancellationToken.None);
        var assign = await actions.AssignAsync(ours.ConversationId, otherAgent, CancellationToken.None);

        Assert.All([reply, close, note], r => Assert.Equal(AgentActionStatus.NotFound, r.Status));
        Assert.Equal((AgentActionStatus.Invalid, "agentId"), (assign.Status, assign.Field));
        Assert.Equal(("open", "assistant"), (
            await _rows.ScalarAsync<string>("SELECT status FROM conversations WHERE id = $1", theirs.ConversationId),
            await _rows.ScalarAsync<string>("SELECT handoff FROM conversations WHERE id = $1", ours.ConversationId)));
    }

    [Fact]
    public async Task Concurrent_actions_on_one_conversation_are_all_applied_none_overwritten()
    {
        var conversation = await _rows.AddConversationAsync(_tenant, _whatsApp, DateTimeOffset.UtcNow);
        var agents = new[] { _agent, await _rows.AddAgentAsync(_tenant) };
        var contexts = Enumerable.Range(0, 4).Select(_ => Actions()).ToList();

        var results = await Task.WhenAll(contexts.Select((c, i) => Task.Run(() => c.Actions.AssignAsync(conversation.ConversationId, agents[i % 2], CancellationToken.None))));

        Assert.All(results, r => Assert.True(r.Succeeded));
        // Every change bumped the version once and wrote one event: a lost update would leave them apart.
        var version = await _rows.ScalarAsync<int>("SELECT version FROM conversations WHERE id = $1", conversation.ConversationId);
        Assert.InRange(version, 1, 4);
        Assert.Equal(version, await EventsAsync(conversation.ConversationId, "ConversationHandoffChanged"));
        foreach (var (_, db) in contexts)
        {
            await db.DisposeAsync();
        }
    }
}
