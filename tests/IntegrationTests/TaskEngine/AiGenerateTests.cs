using SaasAssistants.Database.Tasks;
using SaasAssistants.IntegrationTests.AiProviders;
using SaasAssistants.IntegrationTests.TaskEngine.Support;
using SaasAssistants.MessageProcessor.Ai.Providers;
using Xunit;

namespace SaasAssistants.IntegrationTests.TaskEngine;

/// <summary>ai.generate through the real provider clients against local servers that speak the OpenAI wire format.</summary>
[Collection(TaskEngineCollection.Name)]
public sealed class AiGenerateTests(TaskEngineFixture fixture) : IClassFixture<TaskEngineFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ExecutionLog _executions = new();
    private ProviderWireServer _primary = null!;
    private ProviderWireServer _secondary = null!;
    private TaskEngineHost _host = null!;
    private Guid _tenant;

    public async Task InitializeAsync()
    {
        _tenant = await fixture.ResetAsync();
        _primary = await ProviderWireServer.StartAsync();
        _secondary = await ProviderWireServer.StartAsync();
        _secondary.AnsweringModel = "gpt-4o-mini-2024-07-18";
        _host = await TaskEngineHost.StartAsync(fixture, _executions, new Dictionary<string, string?>
        {
            ["Ai:Providers:primary:Kind"] = "OpenAI",
            ["Ai:Providers:primary:Endpoint"] = _primary.OpenAIEndpoint.ToString(),
            ["Ai:Providers:primary:ApiKey"] = WireClients.OpenAIKey,
            ["Ai:Providers:primary:Model"] = "gpt-4o",
            ["Ai:Providers:secondary:Kind"] = "OpenAI",
            ["Ai:Providers:secondary:Endpoint"] = _secondary.OpenAIEndpoint.ToString(),
            ["Ai:Providers:secondary:ApiKey"] = WireClients.OpenAIKey,
            ["Ai:Providers:secondary:Model"] = "gpt-4o-mini",
            ["Ai:Chain:0"] = "primary",
            ["Ai:Chain:1"] = "secondary",
            ["Ai:Prices:gpt-4o-mini:InputPerMillion"] = "150",
            ["Ai:Prices:gpt-4o-mini:OutputPerMillion"] = "600",
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _primary.DisposeAsync();
        await _secondary.DisposeAsync();
    }

    private Task UntilEndedAsync(Guid id) => Wait.UntilAsync(async () => (await fixture.TaskAsync(_tenant, id)).IsEnded, Timeout, $"task {id} to end", () => _host.Log.Tail(20));

    [Fact]
    public async Task When_the_primary_fails_the_secondary_answers_and_the_attempt_records_the_model_that_did()
    {
        _primary.Behavior = WireBehavior.ServerError;
        var id = await fixture.EnqueueAsync(_tenant, "ai.generate", """{"prompt":"Do you bake on Sundays?","system":"You are a bakery.","maxTokens":50}""");

        await UntilEndedAsync(id);

        Assert.Equal(TaskItemStatus.Succeeded, (await fixture.TaskAsync(_tenant, id)).Status);
        var attempt = Assert.Single(await fixture.AttemptsAsync(_tenant, id));
        // 12 tokens in at 150 USD per million and 5 out at 600: 0.0018 + 0.003.
        Assert.Equal(("gpt-4o-mini-2024-07-18", 12, 5, 0.0048m), (attempt.Model, attempt.TokensIn, attempt.TokensOut, attempt.Cost));
        Assert.NotNull(attempt.LatencyMs);
        Assert.Equal("Hello from the wire.", Assert.Single(await fixture.ArtifactsAsync(_tenant, id)).Content);
        Assert.Equal((1, 1), (_primary.RequestCount, _secondary.RequestCount));
        var request = _secondary.Requests[0].Body;
        Assert.Equal(50, request.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal("system", request.GetProperty("messages")[0].GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_named_provider_is_used_alone()
    {
        var id = await fixture.EnqueueAsync(_tenant, "ai.generate", """{"prompt":"Hi","provider":"secondary"}""");

        await UntilEndedAsync(id);

        Assert.Equal("gpt-4o-mini-2024-07-18", Assert.Single(await fixture.AttemptsAsync(_tenant, id)).Model);
        Assert.Equal((0, 1), (_primary.RequestCount, _secondary.RequestCount));
    }

    [Fact]
    public async Task A_task_for_an_assistant_runs_on_that_assistants_chain()
    {
        var assistant = await InsertAssistantAsync(_tenant, """{"chain":["secondary"]}""");
        var id = await fixture.EnqueueAsync(_tenant, "ai.generate", $$"""{"prompt":"Hi","assistantId":"{{assistant}}"}""");

        await UntilEndedAsync(id);

        Assert.Equal("gpt-4o-mini-2024-07-18", Assert.Single(await fixture.AttemptsAsync(_tenant, id)).Model);
        Assert.Equal((0, 1), (_primary.RequestCount, _secondary.RequestCount));
    }

    [Fact]
    public async Task Another_tenants_assistant_is_not_found_and_the_task_ends_at_once()
    {
        var otherTenant = Guid.CreateVersion7();
        await fixture.OwnerExecuteAsync($"INSERT INTO tenants (id, name) VALUES ('{otherTenant}', 'other-{otherTenant:N}')");
        var theirs = await InsertAssistantAsync(otherTenant, """{"chain":["secondary"]}""");
        var id = await fixture.EnqueueAsync(_tenant, "ai.generate", $$"""{"prompt":"Hi","assistantId":"{{theirs}}"}""");

        await UntilEndedAsync(id);

        Assert.Equal(TaskItemStatus.DeadLetter, (await fixture.TaskAsync(_tenant, id)).Status);
        Assert.Equal("assistant_not_found", Assert.Single(await fixture.AttemptsAsync(_tenant, id)).ErrorCode);
        Assert.Equal((0, 0), (_primary.RequestCount, _secondary.RequestCount));
    }

    private async Task<Guid> InsertAssistantAsync(Guid tenantId, string providerSettings)
    {
        var (workspace, assistant) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await fixture.OwnerExecuteAsync($"""
            INSERT INTO workspaces (id, tenant_id, name) VALUES ('{workspace}', '{tenantId}', 'main');
            INSERT INTO assistants (id, tenant_id, workspace_id, name, system_prompt, provider_settings)
                VALUES ('{assistant}', '{tenantId}', '{workspace}', 'Assistant', 'Be brief.', '{providerSettings}');
            """);
        return assistant;
    }

    [Fact]
    public async Task A_provider_that_is_not_configured_dead_letters_the_task_at_once()
    {
        var id = await fixture.EnqueueAsync(_tenant, "ai.generate", """{"prompt":"Hi","provider":"nope"}""");

        await UntilEndedAsync(id);

        Assert.Equal(TaskItemStatus.DeadLetter, (await fixture.TaskAsync(_tenant, id)).Status);
        Assert.Equal(ProviderErrorCodes.ProviderNotConfigured, Assert.Single(await fixture.AttemptsAsync(_tenant, id)).ErrorCode);
    }

    [Fact]
    public async Task When_every_provider_fails_transiently_the_task_is_retried()
    {
        _primary.Behavior = WireBehavior.ServerError;
        _secondary.Behavior = WireBehavior.RateLimited;
        _secondary.RetryAfterSeconds = 1;
        var id = await fixture.EnqueueAsync(_tenant, "ai.generate", """{"prompt":"Hi"}""", maxAttempts: 2);

        await UntilEndedAsync(id);

        Assert.Equal(TaskItemStatus.DeadLetter, (await fixture.TaskAsync(_tenant, id)).Status);
        var attempts = await fixture.AttemptsAsync(_tenant, id);
        Assert.Equal(["rate_limited", "rate_limited"], attempts.Select(a => a.ErrorCode));
        // The secondary's Retry-After (1 s) held the second attempt back.
        Assert.True(attempts[1].StartedAt - attempts[0].EndedAt!.Value >= TimeSpan.FromSeconds(1));
    }
}
