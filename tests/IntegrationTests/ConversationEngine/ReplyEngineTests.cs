using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Events.Conversations;
using SaasAssistants.Database;
using SaasAssistants.Database.Conversations;
using SaasAssistants.IntegrationTests.AiProviders;
using SaasAssistants.IntegrationTests.MessageProcessor;
using SaasAssistants.MessageProcessor.Conversations;
using SaasAssistants.MessageProcessor.Knowledge;
using SaasAssistants.MessageProcessor.Replies;
using SaasAssistants.MessageProcessor.Tasks;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.ConversationEngine;

/// <summary>
/// From stored burst to stored reply, against the real PostgreSQL and Redis, with the service's own registrations:
/// the flush makes exactly one ai.reply task, the processor answers through the provider chain (the built-in
/// responder, or a local server speaking OpenAI's wire format), and handoff, budget and ordering rules hold.
/// </summary>
public sealed class ReplyEngineTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private EngineHost _host = null!;
    private TenantChannel _tenant = null!;
    private StoredRows _rows = null!;

    public async Task InitializeAsync()
    {
        _host = await EngineHost.CreateAsync(database, services: services => services.AddScoped<IKnowledgeRetriever, BakeryKnowledge>());
        _tenant = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Padaria Engine", bufferTimeoutMs: 200);
        _rows = new StoredRows(database.OwnerConnectionString, _tenant.TenantId);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private static string Visitor() => "visitor-" + Guid.NewGuid().ToString("N")[..8];

    private async Task HandleAsync(InboundMessageReceived evt, EngineHost? host = null)
    {
        await using var scope = (host ?? _host).Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<InboundMessageHandler>().HandleAsync(evt, CancellationToken.None);
    }

    private async Task<Guid?> FlushAsync(Guid conversationId, EngineHost? host = null, Guid? tenantId = null)
    {
        await using var scope = (host ?? _host).TenantScope(tenantId ?? _tenant.TenantId);
        return await scope.ServiceProvider.GetRequiredService<ReplyTasks>().FlushAsync(conversationId, CancellationToken.None);
    }

    /// <summary>Runs a task's processor as the engine does: the task's payload, in a scope of its tenant.</summary>
    private async Task<TaskResult> RunAsync(Guid taskId, EngineHost? host = null, Guid? tenantId = null)
    {
        var rows = new StoredRows(database.OwnerConnectionString, tenantId ?? _tenant.TenantId);
        var task = Assert.Single(await rows.TasksAsync(), t => t.Id == taskId);
        await using var scope = (host ?? _host).TenantScope(tenantId ?? _tenant.TenantId);
        var processor = scope.ServiceProvider.GetServices<ITaskProcessor>().Single(p => p.Type == task.Type);
        using var payload = JsonDocument.Parse(task.Payload);
        Assert.Empty(processor.Validate(payload.RootElement));
        return await processor.ProcessAsync(new TaskExecution
        {
            TaskId = taskId, TenantId = tenantId ?? _tenant.TenantId, Type = task.Type, Attempt = 1, MaxAttempts = 3,
            Payload = payload.RootElement, Services = scope.ServiceProvider,
        }, CancellationToken.None);
    }

    private async Task<StoredConversation> ConversationOfAsync(string visitor, StoredRows? rows = null)
    {
        rows ??= _rows;
        var contact = Assert.Single(await rows.ContactsAsync(), c => c.ExternalId == visitor);
        return Assert.Single(await rows.ConversationsAsync(), c => c.ContactId == contact.Id && c.Status == "open");
    }

    [Fact]
    public async Task A_burst_becomes_exactly_one_reply_task_however_many_flushes_race()
    {
        var visitor = Visitor();
        foreach (var text in new[] { "Oi", "Vocês abrem no domingo?", "E no feriado?" })
        {
            await HandleAsync(_tenant.Inbound(visitor, text));
        }

        var conversation = await ConversationOfAsync(visitor);

        var created = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => FlushAsync(conversation.Id)));

        var taskId = Assert.Single(created, id => id is not null);
        var task = Assert.Single(await _rows.TasksAsync("ai.reply"));
        Assert.Equal(taskId, task.Id);
        Assert.All((await _rows.MessagesAsync()).Where(m => m.ConversationId == conversation.Id), m => Assert.Equal(taskId, m.TaskId));
        Assert.Equal(taskId, (await ConversationOfAsync(visitor)).ReplyTaskId);
    }

    [Fact]
    public async Task With_no_matching_knowledge_the_built_in_responder_says_so_and_the_conversation_waits_for_a_human()
    {
        var visitor = Visitor();
        await HandleAsync(_tenant.Inbound(visitor, "Vocês consertam bicicletas?"));
        var conversation = await ConversationOfAsync(visitor);
        var taskId = (await FlushAsync(conversation.Id))!.Value;

        var result = await RunAsync(taskId);

        var reply = Assert.Single(await _rows.MessagesAsync(), m => m.ConversationId == conversation.Id && m.Direction == "outbound");
        Assert.Equal("Não tenho essa informação aqui, então passei sua mensagem para a nossa equipe. Eles vão responder você nesta conversa.", reply.Text);
        Assert.Equal((taskId, "local-responder"), (reply.TaskId!.Value, reply.Model));
        var after = await ConversationOfAsync(visitor);
        Assert.Equal(("PROGRESS", "waiting_for_human", "no_matching_knowledge", (Guid?)null), (after.State, after.Handoff, after.HandoffReason, after.ReplyTaskId));
        Assert.Equal(("local-responder", 0m), (result.Usage!.Model, result.Usage.Cost!.Value));

        var events = (await _rows.OutboxAsync()).Where(e => e.Payload.Contains(conversation.Id.ToString())).Select(e => e.EventType).ToList();
        Assert.Equal(["MessageAdded", "ConversationStateChanged", "MessageAdded", "AiResponseGenerated", "ConversationStateChanged", "ConversationHandoffChanged"],
            events.Where(e => e != "TaskQueued"));
        var generated = (await _rows.OutboxAsync()).Single(e => e.EventType == "AiResponseGenerated" && e.Payload.Contains(conversation.Id.ToString())).As<AiResponseGenerated>();
        Assert.Equal((reply.Id, visitor, reply.Text), (generated.MessageId, generated.ExternalContactId, generated.Content.Text));

        // Waiting for a human: the next message is stored, and the assistant does not answer it.
        await HandleAsync(_tenant.Inbound(visitor, "Alô?"));
        Assert.Null(await FlushAsync(conversation.Id));
        Assert.Single(await _rows.TasksAsync("ai.reply"), t => t.Payload.Contains(conversation.Id.ToString()));
    }

    [Fact]
    public async Task The_built_in_responder_answers_from_the_best_matching_passage_in_the_customers_language()
    {
        var visitor = Visitor();
        await HandleAsync(_tenant.Inbound(visitor, "Hi! What are your opening hours on Sunday?"));
        var conversation = await ConversationOfAsync(visitor);

        await RunAsync((await FlushAsync(conversation.Id))!.Value);

        var reply = Assert.Single(await _rows.MessagesAsync(), m => m.ConversationId == conversation.Id && m.Direction == "outbound");
        Assert.Equal(BakeryKnowledge.SundayHoursEnglish + " (Source: faq-en.md › Opening hours)", reply.Text);
        Assert.Equal(("PROGRESS", "assistant"), ((await ConversationOfAsync(visitor)).State, (await ConversationOfAsync(visitor)).Handoff));
    }

    [Fact]
    public async Task A_customer_asking_for_a_person_is_handed_over_without_an_answer_that_promises_more()
    {
        var visitor = Visitor();
        await HandleAsync(_tenant.Inbound(visitor, "Quero falar com um atendente, por favor"));
        var conversation = await ConversationOfAsync(visitor);

        await RunAsync((await FlushAsync(conversation.Id))!.Value);

        var reply = Assert.Single(await _rows.MessagesAsync(), m => m.ConversationId == conversation.Id && m.Direction == "outbound");
        Assert.Equal("Claro. Passei esta conversa para a nossa equipe. Eles vão responder você por aqui.", reply.Text);
        var after = await ConversationOfAsync(visitor);
        Assert.Equal(("waiting_for_human", "customer_asked"), (after.Handoff, after.HandoffReason));
    }

    [Fact]
    public async Task Replies_for_one_conversation_never_overtake_each_other()
    {
        var visitor = Visitor();
        await HandleAsync(_tenant.Inbound(visitor, "What are your opening hours on Sunday?"));
        var conversation = await ConversationOfAsync(visitor);
        var first = (await FlushAsync(conversation.Id))!.Value;
        // A second burst while the first reply is in flight: no second task yet.
        await HandleAsync(_tenant.Inbound(visitor, "And do you sell sourdough bread?"));
        Assert.Null(await FlushAsync(conversation.Id));

        await RunAsync(first);

        // Storing the first reply chained the second burst's task.
        var tasks = await _rows.TasksAsync("ai.reply");
        Assert.Equal(2, tasks.Count);
        var second = tasks.Single(t => t.Id != first).Id;
        Assert.Equal(second, (await ConversationOfAsync(visitor)).ReplyTaskId);
        await RunAsync(second);
        var messages = (await _rows.MessagesAsync()).Where(m => m.ConversationId == conversation.Id).ToList();
        // In time order: both questions (the second came before the first reply), then the replies in burst order.
        Assert.Equal(["inbound", "inbound", "outbound", "outbound"], messages.Select(m => m.Direction));
        Assert.Equal([first, second, first, second], messages.Select(m => m.TaskId!.Value));
        Assert.Equal((BakeryKnowledge.SundayHoursEnglish + " (Source: faq-en.md › Opening hours)", BakeryKnowledge.SourdoughEnglish + " (Source: menu-en.md)"),
            (messages[2].Text, messages[3].Text));
    }

    [Fact]
    public async Task A_retried_reply_task_stores_its_reply_once()
    {
        var visitor = Visitor();
        await HandleAsync(_tenant.Inbound(visitor, "What are your opening hours on Sunday?"));
        var conversation = await ConversationOfAsync(visitor);
        var taskId = (await FlushAsync(conversation.Id))!.Value;

        await RunAsync(taskId);
        await RunAsync(taskId);

        Assert.Single(await _rows.MessagesAsync(), m => m.ConversationId == conversation.Id && m.Direction == "outbound");
        Assert.Single(await _rows.OutboxAsync(), e => e.EventType == "AiResponseGenerated" && e.Payload.Contains(conversation.Id.ToString()));
    }

    [Fact]
    public async Task An_answer_that_arrives_after_an_agent_took_over_is_dropped()
    {
        var visitor = Visitor();
        await HandleAsync(_tenant.Inbound(visitor, "What are your opening hours on Sunday?"));
        var conversation = await ConversationOfAsync(visitor);
        var taskId = (await FlushAsync(conversation.Id))!.Value;
        // The agent takes over in the CRM while the model is still answering.
        await using (var connection = new NpgsqlConnection(database.OwnerConnectionString))
        {
            await connection.OpenAsync();
            await using var takeOver = new NpgsqlCommand(
                "UPDATE conversations SET handoff = 'human', handoff_reason = 'agent_took_over', version = version + 1 WHERE id = @id", connection);
            takeOver.Parameters.AddWithValue("id", conversation.Id);
            Assert.Equal(1, await takeOver.ExecuteNonQueryAsync());
        }

        await using var scope = _host.TenantScope(_tenant.TenantId);
        var reply = await scope.ServiceProvider.GetRequiredService<ReplyWriter>()
            .WriteAsync(taskId, conversation.Id, "We open at 8 on Sundays.", "late-model", null, summarize: false, CancellationToken.None);

        Assert.Null(reply);
        Assert.DoesNotContain(await _rows.MessagesAsync(), m => m.ConversationId == conversation.Id && m.Direction == "outbound");
        Assert.Null((await ConversationOfAsync(visitor)).ReplyTaskId);
    }

    [Fact]
    public async Task A_provider_answers_through_its_wire_format_and_an_unpriced_model_is_flagged_not_free()
    {
        await using var server = await ProviderWireServer.StartAsync();
        server.ReplyText = "We open at 8 on Sundays.";
        server.AnsweringModel = "house-model-1";
        using var host = await EngineHost.CreateAsync(database, WireClients.OpenAIChainSettings(server, "house-model"));
        var tenant = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Wire Bakery", bufferTimeoutMs: 0);
        var rows = new StoredRows(database.OwnerConnectionString, tenant.TenantId);
        var visitor = Visitor();
        await HandleAsync(tenant.Inbound(visitor, "When do you open on Sunday?"), host);
        var taskId = Assert.Single(await rows.TasksAsync("ai.reply")).Id;

        var result = await RunAsync(taskId, host, tenant.TenantId);

        Assert.Equal(1, server.RequestCount);
        var reply = Assert.Single(await rows.MessagesAsync(), m => m.Direction == "outbound");
        Assert.Equal(("We open at 8 on Sundays.", "house-model-1"), (reply.Text, reply.Model));
        Assert.Equal(("house-model-1", 12, 5, (decimal?)null), (result.Usage!.Model, result.Usage.TokensIn, result.Usage.TokensOut, result.Usage.Cost));
        // The request carried the assistant's prompt and the handoff tool.
        var body = server.Requests[0].Body.GetRawText();
        Assert.Contains("You answer the customers of Wire Bakery.", body);
        Assert.Contains("request_human", body);
    }

    [Fact]
    public async Task When_the_monthly_budget_is_spent_no_provider_is_called_and_the_conversation_goes_to_a_human()
    {
        await using var server = await ProviderWireServer.StartAsync();
        using var host = await EngineHost.CreateAsync(database, WireClients.OpenAIChainSettings(server, "gpt-4o-mini"));
        var tenant = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Broke Bakery", bufferTimeoutMs: 0);
        await OwnerAsync($"UPDATE tenants SET ai_monthly_budget_usd = 0 WHERE id = '{tenant.TenantId}'");
        var rows = new StoredRows(database.OwnerConnectionString, tenant.TenantId);
        await HandleAsync(tenant.Inbound(Visitor(), "Vocês abrem no domingo?"), host);

        await RunAsync(Assert.Single(await rows.TasksAsync("ai.reply")).Id, host, tenant.TenantId);

        Assert.Equal(0, server.RequestCount);
        var conversation = Assert.Single(await rows.ConversationsAsync());
        Assert.Equal(("waiting_for_human", "ai_budget_reached"), (conversation.Handoff, conversation.HandoffReason));
        Assert.Equal("Passei sua mensagem para a nossa equipe. Eles vão responder você nesta conversa.",
            Assert.Single(await rows.MessagesAsync(), m => m.Direction == "outbound").Text);
    }

    [Fact]
    public async Task A_tenant_without_a_budget_of_its_own_has_its_plans_and_its_own_budget_overrides_the_plans()
    {
        await using var server = await ProviderWireServer.StartAsync();
        // The pro plan's budget is spent before it starts (0 USD); one pro tenant overrides it with a budget of its own.
        var settings = WireClients.OpenAIChainSettings(server, "gpt-4o-mini");
        settings["Ai:Budgets:Plans:pro"] = "0";
        using var host = await EngineHost.CreateAsync(database, settings);
        var onPlan = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Plan Bakery", bufferTimeoutMs: 0);
        var overridden = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Own Budget Bakery", bufferTimeoutMs: 0);
        await OwnerAsync($"UPDATE tenants SET plan = 'pro', ai_monthly_budget_usd = NULL WHERE id = '{onPlan.TenantId}'");
        await OwnerAsync($"UPDATE tenants SET plan = 'pro', ai_monthly_budget_usd = 100 WHERE id = '{overridden.TenantId}'");
        var onPlanRows = new StoredRows(database.OwnerConnectionString, onPlan.TenantId);
        var overriddenRows = new StoredRows(database.OwnerConnectionString, overridden.TenantId);

        await HandleAsync(onPlan.Inbound(Visitor(), "Vocês abrem no domingo?"), host);
        await RunAsync(Assert.Single(await onPlanRows.TasksAsync("ai.reply")).Id, host, onPlan.TenantId);
        Assert.Equal(0, server.RequestCount);
        Assert.Equal("ai_budget_reached", Assert.Single(await onPlanRows.ConversationsAsync()).HandoffReason);

        await HandleAsync(overridden.Inbound(Visitor(), "Vocês abrem no domingo?"), host);
        await RunAsync(Assert.Single(await overriddenRows.TasksAsync("ai.reply")).Id, host, overridden.TenantId);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal("assistant", Assert.Single(await overriddenRows.ConversationsAsync()).Handoff);
    }

    [Fact]
    public async Task A_concurrent_update_fails_on_the_version_and_the_retry_applies_both_changes()
    {
        var visitor = Visitor();
        await HandleAsync(_tenant.Inbound(visitor, "Oi"));
        var id = (await ConversationOfAsync(visitor)).Id;
        await using var first = _host.TenantScope(_tenant.TenantId);
        await using var second = _host.TenantScope(_tenant.TenantId);
        var db1 = first.ServiceProvider.GetRequiredService<SaasDbContext>();
        var db2 = second.ServiceProvider.GetRequiredService<SaasDbContext>();
        var stale = await db2.Conversations.SingleAsync(c => c.Id == id);
        var fresh = await db1.Conversations.SingleAsync(c => c.Id == id);
        fresh.Summarize("Asked about Sunday hours.", DateTimeOffset.UtcNow);
        await db1.SaveChangesAsync();

        stale.RequestHuman(HandoffReasons.CustomerAsked, DateTimeOffset.UtcNow);
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db2.SaveChangesAsync());
        Assert.True(await ConversationUpdates.ApplyAsync(db2, id, c => c.RequestHuman(HandoffReasons.CustomerAsked, DateTimeOffset.UtcNow), CancellationToken.None));

        var stored = await ConversationOfAsync(visitor);
        Assert.Equal(("Asked about Sunday hours.", "waiting_for_human"), (stored.Summary, stored.Handoff));
    }

    [Fact]
    public async Task Quiet_conversations_go_idle_then_expire_and_the_next_message_opens_a_new_one()
    {
        var lifecycleTenant = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Sleepy Bakery");
        var rows = new StoredRows(database.OwnerConnectionString, lifecycleTenant.TenantId);
        var idle = Visitor();
        var expired = Visitor();
        await HandleAsync(lifecycleTenant.Inbound(idle, "Oi"));
        await HandleAsync(lifecycleTenant.Inbound(expired, "Oi"));
        await OwnerAsync($"""
            UPDATE conversations c SET last_message_at = now() - interval '2 hours'
            FROM contacts k WHERE k.id = c.contact_id AND k.external_id = '{idle}';
            UPDATE conversations c SET last_message_at = now() - interval '3 days'
            FROM contacts k WHERE k.id = c.contact_id AND k.external_id = '{expired}';
            """);

        var lifecycle = _host.Services.GetRequiredService<SaasAssistants.MessageProcessor.Lifecycle.ConversationLifecycleService>();
        await lifecycle.RunOnceAsync(CancellationToken.None);

        var conversations = await rows.ConversationsAsync();
        var contacts = await rows.ContactsAsync();
        var idleConversation = conversations.Single(c => c.ContactId == contacts.Single(k => k.ExternalId == idle).Id);
        var expiredConversation = conversations.Single(c => c.ContactId == contacts.Single(k => k.ExternalId == expired).Id);
        Assert.Equal(("IDLE_TIMEOUT", "open"), (idleConversation.State, idleConversation.Status));
        Assert.Equal(("EXPIRED", "closed"), (expiredConversation.State, expiredConversation.Status));
        var transitions = (await rows.OutboxAsync()).Where(e => e.EventType == "ConversationStateChanged").Select(e => e.As<ConversationStateChanged>())
            .Where(e => e.From is not null).Select(e => (e.ConversationId, e.From, e.To)).ToList();
        Assert.Contains((idleConversation.Id, "PENDING", "IDLE_TIMEOUT"), transitions);
        Assert.Contains((expiredConversation.Id, "PENDING", "EXPIRED"), transitions);

        // Nothing more is due: a second round changes nothing.
        Assert.Equal(0, await lifecycle.RunOnceAsync(CancellationToken.None));

        await HandleAsync(lifecycleTenant.Inbound(idle, "Voltei"));
        await HandleAsync(lifecycleTenant.Inbound(expired, "Voltei"));
        conversations = await rows.ConversationsAsync();
        Assert.Equal("PROGRESS", conversations.Single(c => c.Id == idleConversation.Id).State);
        Assert.Equal(3, conversations.Count);
        Assert.Equal("PENDING", conversations.Single(c => c.ContactId == expiredConversation.ContactId && c.Id != expiredConversation.Id).State);
    }

    [Fact]
    public async Task A_conversation_of_hundreds_of_messages_is_sent_within_its_token_budget_and_older_turns_are_summarized()
    {
        var tenant = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Chatty Bakery", bufferTimeoutMs: 0);
        var rows = new StoredRows(database.OwnerConnectionString, tenant.TenantId);
        var visitor = Visitor();
        await HandleAsync(tenant.Inbound(visitor, "Oi"));
        var conversation = Assert.Single(await rows.ConversationsAsync());
        var opening = Assert.Single(await rows.TasksAsync("ai.reply")).Id;
        await RunAsync(opening, tenantId: tenant.TenantId);
        // 400 earlier turns, answered long ago (an old task), about 40 tokens each: far over the 4,000-token budget.
        await OwnerAsync($"""
            INSERT INTO messages (id, tenant_id, conversation_id, channel_id, direction, sender, content, task_id, created_at)
            SELECT gen_random_uuid(), '{tenant.TenantId}', '{conversation.Id}', '{tenant.ChannelId}',
                   CASE WHEN i % 2 = 0 THEN 'inbound' ELSE 'outbound' END, CASE WHEN i % 2 = 0 THEN 'contact' ELSE 'assistant' END,
                   jsonb_build_object('type', 'text', 'text', 'Turn ' || i || ': we talked about cakes, breads, delivery times, prices and the weekend opening hours again.'),
                   CASE WHEN i % 2 = 0 THEN '{opening}'::uuid END, now() - interval '1 hour' + i * interval '1 second'
            FROM generate_series(1, 400) AS i;
            UPDATE conversations SET handoff = 'assistant', handoff_reason = NULL WHERE id = '{conversation.Id}';
            """);
        await HandleAsync(tenant.Inbound(visitor, "What are your opening hours on Sunday?"));
        var reply = Assert.Single(await rows.TasksAsync("ai.reply"), t => t.Id != opening).Id;

        ReplyContextFigures before;
        await using (var scope = _host.TenantScope(tenant.TenantId))
        {
            before = await ContextFiguresAsync(scope.ServiceProvider, conversation.Id);
        }

        await RunAsync(reply, tenantId: tenant.TenantId);

        Assert.InRange(before.Tokens, 3000, 4000);
        Assert.True(before.Dropped > 200, $"only {before.Dropped} turns were left out");
        var summarize = Assert.Single(await rows.TasksAsync("conversation.summarize"));
        Assert.Equal("Queued", summarize.Status);

        await RunAsync(summarize.Id, tenantId: tenant.TenantId);

        var summarized = Assert.Single(await rows.ConversationsAsync());
        Assert.NotNull(summarized.Summary);
        Assert.Contains("Turn ", summarized.Summary);
        Assert.InRange(summarized.Summary!.Length, 100, 2000);
        ReplyContextFigures after;
        await using (var scope = _host.TenantScope(tenant.TenantId))
        {
            after = await ContextFiguresAsync(scope.ServiceProvider, conversation.Id);
        }
        // Only turns newer than the summary are candidates now, and the newest still go verbatim.
        Assert.Equal(0, after.Dropped);
        Assert.InRange(after.Tokens, 1000, 4000);
    }

    private sealed record ReplyContextFigures(int Tokens, int Dropped);

    private static async Task<ReplyContextFigures> ContextFiguresAsync(IServiceProvider services, Guid conversationId)
    {
        var db = services.GetRequiredService<SaasDbContext>();
        var conversation = await db.Conversations.AsNoTracking().SingleAsync(c => c.Id == conversationId);
        var context = await services.GetRequiredService<SaasAssistants.MessageProcessor.Context.ConversationContext>()
            .BuildAsync(db, services.GetRequiredService<SaasAssistants.Database.Media.IMediaStorage>(), conversation, budgetTokens: 4000, systemTokens: 0, CancellationToken.None);
        return new ReplyContextFigures(context.Tokens, context.DroppedMessages);
    }

    private async Task OwnerAsync(string sql)
    {
        await using var owner = new NpgsqlConnection(database.OwnerConnectionString);
        await owner.OpenAsync();
        await using var command = new NpgsqlCommand(sql, owner);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// The knowledge seam filled with a fixed bakery's passages (the knowledge base's own search replaces it in the
/// product), so the built-in responder's choice of passage and language can be checked.
/// </summary>
public sealed class BakeryKnowledge : IKnowledgeRetriever
{
    public const string SundayHoursEnglish = "On Sundays we open from 8 am to 1 pm; on holidays we follow the Sunday hours.";
    public const string SundayHoursPortuguese = "Aos domingos abrimos das 8h às 13h; nos feriados seguimos o horário de domingo.";
    public const string SourdoughEnglish = "We bake sourdough bread every morning; a loaf costs R$ 18.";

    public Task<IReadOnlyList<KnowledgePassage>> RetrieveAsync(Guid assistantId, string query, int limit, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<KnowledgePassage>>(
        [
            new(SundayHoursPortuguese, new KnowledgeSource("faq.md", "Horário"), 0.9, "pt"),
            new(SundayHoursEnglish, new KnowledgeSource("faq-en.md", "Opening hours"), 0.8, "en"),
            new(SourdoughEnglish, new KnowledgeSource("menu-en.md"), 0.5, "en"),
        ]);
}
