using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.IntegrationTests.AiProviders;
using SaasAssistants.IntegrationTests.ConversationEngine;
using SaasAssistants.MessageProcessor.Tasks;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp.Management;

/// <summary>
/// The assistants pages: settings as the engine reads them, the tenant's budget, and the console, whose message is
/// answered by the MessageProcessor's own ai.reply processor against a local server speaking OpenAI's wire format.
/// </summary>
public sealed class AssistantsPageTests(ManagementFixture app) : IClassFixture<ManagementFixture>
{
    private static Dictionary<string, string> Form(string name) => new()
    {
        ["name"] = name,
        ["systemPrompt"] = "Você é a atendente da Padaria Central. Responda em poucas frases.",
        ["greeting"] = "Olá! Como posso ajudar?",
        ["language"] = "pt-BR",
        ["bufferTimeoutMs"] = "1500",
        ["providerChain"] = "wire, backup",
        ["model"] = "gpt-4o-mini",
    };

    private async Task<Guid> CreateAsync(BrowserClient browser, string name)
    {
        using var response = await ManagementForms.PostAsync(browser, "/assistants", Form(name), json: true);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<JsonElement> SettingsAsync(Guid id)
        => JsonDocument.Parse(await app.Rows.ScalarAsync<string>("SELECT provider_settings::text FROM assistants WHERE id = $1", id)).RootElement;

    [Fact]
    public async Task An_assistant_s_settings_are_stored_where_the_engine_reads_them_and_an_edit_keeps_the_keys_the_form_does_not_show()
    {
        using var browser = await app.SignedInAsAdminAsync();
        var id = await CreateAsync(browser, "Padaria Bot");

        var settings = await SettingsAsync(id);
        Assert.Equal(["wire", "backup"], settings.GetProperty("chain").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(("pt-BR", "gpt-4o-mini"), (settings.GetProperty("language").GetString(), settings.GetProperty("model").GetString()));
        Assert.Equal((1500, "Olá! Como posso ajudar?"), (await app.Rows.ScalarAsync<int>("SELECT buffer_timeout_ms FROM assistants WHERE id = $1", id),
            await app.Rows.ScalarAsync<string>("SELECT greeting FROM assistants WHERE id = $1", id)));

        await app.Rows.ScalarAsync<int>("""UPDATE assistants SET provider_settings = provider_settings || '{"maxTokens": 300}' WHERE id = $1 RETURNING 1""", id);
        var edit = Form("Padaria Bot 2");
        (edit["providerChain"], edit["model"], edit["language"]) = ("", "", "en");
        using var updated = await ManagementForms.PostAsync(browser, $"/assistants/{id}", edit);

        Assert.Equal(HttpStatusCode.Redirect, updated.StatusCode);
        settings = await SettingsAsync(id);
        Assert.False(settings.TryGetProperty("chain", out _));
        Assert.False(settings.TryGetProperty("model", out _));
        Assert.Equal(("en", 300), (settings.GetProperty("language").GetString(), settings.GetProperty("maxTokens").GetInt32()));
        var page = await ManagementForms.PageAsync(browser, $"/assistants/{id}");
        Assert.Contains("Padaria Bot 2", page);
        Assert.Contains("Você é a atendente da Padaria Central.", page);
    }

    [Fact]
    public async Task Bad_settings_and_a_bad_budget_are_refused_with_problems_and_another_tenant_s_assistant_is_not_found()
    {
        using var browser = await app.SignedInAsAdminAsync();
        var before = await app.Rows.ScalarAsync<long>("SELECT count(*) FROM assistants");
        var noPrompt = Form("No prompt");
        noPrompt["systemPrompt"] = " ";
        var slow = Form("Slow");
        slow["bufferTimeoutMs"] = "120000";
        var badLanguage = Form("Klingon");
        badLanguage["language"] = "tlh";

        foreach (var (form, code) in new[] { (noPrompt, "system_prompt"), (slow, "buffer_timeout"), (badLanguage, "language") })
        {
            using var refused = await ManagementForms.PostAsync(browser, "/assistants", form, json: true);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal(code, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }
        using var badNumber = await ManagementForms.PostAsync(browser, "/assistants", new Dictionary<string, string> { ["name"] = "x", ["bufferTimeoutMs"] = "soon" }, json: true);
        Assert.Equal(HttpStatusCode.BadRequest, badNumber.StatusCode);
        Assert.Equal(before, await app.Rows.ScalarAsync<long>("SELECT count(*) FROM assistants"));

        using var budget = await ManagementForms.PostAsync(browser, "/assistants/budget", new Dictionary<string, string> { ["monthlyBudgetUsd"] = "25,50" });
        using var badBudget = await ManagementForms.PostAsync(browser, "/assistants/budget", new Dictionary<string, string> { ["monthlyBudgetUsd"] = "-3" }, json: true);
        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.BadRequest), (budget.StatusCode, badBudget.StatusCode));
        Assert.Equal(25.50m, await app.Rows.ScalarAsync<decimal>("SELECT ai_monthly_budget_usd FROM tenants WHERE id = $1", app.Seed.TenantId));

        var otherAssistant = Guid.CreateVersion7();
        await app.Rows.ScalarAsync<int>("INSERT INTO assistants (id, tenant_id, workspace_id, name, system_prompt) VALUES ($1, $2, $3, 'Theirs', 'secret prompt') RETURNING 1",
            otherAssistant, app.Other.TenantId, app.Other.WorkspaceId);
        using var foreignPage = await browser.Http.GetAsync($"/assistants/{otherAssistant}");
        using var foreignEdit = await ManagementForms.PostAsync(browser, $"/assistants/{otherAssistant}", Form("Mine now"));
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (foreignPage.StatusCode, foreignEdit.StatusCode));
        Assert.DoesNotContain("secret prompt", await foreignPage.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_console_s_message_is_answered_by_the_engine_s_ai_reply_task_with_the_assistant_s_own_prompt()
    {
        await using var wire = await ProviderWireServer.StartAsync();
        wire.ReplyText = "Temos pão de queijo saindo agora, custa R$ 2.";
        using var browser = await app.SignedInAsAdminAsync();
        var assistantId = await CreateAsync(browser, "Console Bot");

        using var sent = await ManagementForms.PostAsync(browser, $"/assistants/{assistantId}/console",
            new Dictionary<string, string> { ["text"] = "Vocês têm pão de queijo?" }, json: true);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var taskId = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("taskId").GetGuid();
        using var busy = await ManagementForms.PostAsync(browser, $"/assistants/{assistantId}/console",
            new Dictionary<string, string> { ["text"] = "Alô?" }, json: true);
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        var queued = await browser.Http.GetFromJsonAsync<JsonElement>($"/assistants/{assistantId}/console/{taskId}");
        Assert.Equal("Queued", queued.GetProperty("status").GetString());

        // The MessageProcessor's registrations and its ai.reply processor, run as the task engine runs a claimed task.
        var chain = WireClients.OpenAIChainSettings(wire, WireClients.OpenAIModel);
        chain["Ai:Providers:backup:Kind"] = "OpenAI";
        chain["Ai:Providers:backup:Endpoint"] = wire.OpenAIEndpoint.ToString();
        chain["Ai:Providers:backup:ApiKey"] = WireClients.OpenAIKey;
        chain["Ai:Providers:backup:Model"] = WireClients.OpenAIModel;
        using var engine = await EngineHost.CreateAsync(app.Database, chain);
        await using (var scope = engine.TenantScope(app.Seed.TenantId))
        {
            var payload = await app.Rows.ScalarAsync<string>("SELECT payload::text FROM tasks WHERE id = $1", taskId);
            var processor = scope.ServiceProvider.GetServices<ITaskProcessor>().Single(p => p.Type == "ai.reply");
            using var document = JsonDocument.Parse(payload);
            await processor.ProcessAsync(new TaskExecution
            {
                TaskId = taskId, TenantId = app.Seed.TenantId, Type = "ai.reply", Attempt = 1, MaxAttempts = 3,
                Payload = document.RootElement, Services = scope.ServiceProvider,
            }, CancellationToken.None);
        }

        var request = Assert.Single(wire.Requests).Body.GetProperty("messages").GetRawText();
        Assert.Contains("Padaria Central", request);
        Assert.Contains("Vocês têm pão de queijo?", request);
        var answered = await browser.Http.GetFromJsonAsync<JsonElement>($"/assistants/{assistantId}/console/{taskId}");
        Assert.Equal("Temos pão de queijo saindo agora, custa R$ 2.", answered.GetProperty("reply").GetString());
        var page = await ManagementForms.PageAsync(browser, $"/assistants/{assistantId}");
        Assert.Contains("Temos pão de queijo saindo agora", page);
        Assert.Contains("Vocês têm pão de queijo?", page);
    }
}
