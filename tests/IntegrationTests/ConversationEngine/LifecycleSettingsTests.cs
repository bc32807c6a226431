using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SaasAssistants.IntegrationTests.MessageProcessor;
using SaasAssistants.MessageProcessor.Conversations;
using SaasAssistants.MessageProcessor.Lifecycle;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.ConversationEngine;

/// <summary>The maintenance task applies each assistant's own idle timeout and expiry, not one setting for everybody.</summary>
public sealed class LifecycleSettingsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Each_conversation_goes_idle_and_expires_by_its_own_assistants_settings()
    {
        using var host = await EngineHost.CreateAsync(database);
        var brisk = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Brisk Bakery");
        var patient = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Patient Bakery");
        // Brisk: idle after 1 minute, expired after 5; Patient keeps the defaults (30 minutes, 1 day).
        await OwnerAsync("UPDATE assistants SET idle_timeout_seconds = 60, expire_after_seconds = 300 WHERE id = $1", brisk.AssistantId);
        var briskIdle = await StartAsync(host, brisk, quietMinutes: 2);
        var briskExpired = await StartAsync(host, brisk, quietMinutes: 10);
        var patientIdle = await StartAsync(host, patient, quietMinutes: 2);
        var patientExpired = await StartAsync(host, patient, quietMinutes: 10);

        await host.Services.GetRequiredService<ConversationLifecycleService>().RunOnceAsync(CancellationToken.None);

        Assert.Equal("IDLE_TIMEOUT", await StateAsync(briskIdle));
        Assert.Equal("EXPIRED", await StateAsync(briskExpired));
        Assert.Equal("PENDING", await StateAsync(patientIdle));
        Assert.Equal("PENDING", await StateAsync(patientExpired));
    }

    /// <summary>A conversation opened by a customer's message, then made to look quiet for that long.</summary>
    private async Task<Guid> StartAsync(EngineHost host, TenantChannel tenant, int quietMinutes)
    {
        var evt = tenant.Inbound("visitor-" + Guid.NewGuid().ToString("N")[..8], "Oi");
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<InboundMessageHandler>().HandleAsync(evt, CancellationToken.None);
        }

        var conversation = (await new StoredRows(database.OwnerConnectionString, tenant.TenantId).ConversationsAsync()).Last();
        await OwnerAsync("UPDATE conversations SET last_message_at = now() - make_interval(mins => $1) WHERE id = $2", quietMinutes, conversation.Id);
        return conversation.Id;
    }

    private async Task<string> StateAsync(Guid conversationId)
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT state FROM conversations WHERE id = $1", connection) { Parameters = { new() { Value = conversationId } } };
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task OwnerAsync(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }
}
