using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp;

/// <summary>The live path: MessageAdded on RabbitMQ → MessageAddedHandler → hub groups → the agents' connections.</summary>
public sealed class ConversationHubTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Joining_another_tenant_s_conversation_is_refused()
    {
        using var browser = await app.SignedInAsOwnAgentAsync();
        await using var hub = await HubTestClient.ConnectAsync(app.Factory, browser.CookieHeader);

        Assert.Null(await hub.InvokeAsync("JoinConversation", app.Own.ConversationId));
        Assert.Contains("Conversation not found.", await hub.InvokeAsync("JoinConversation", app.Other.ConversationId));
    }

    [Fact]
    public async Task The_hub_needs_a_signed_in_user()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => HubTestClient.ConnectAsync(app.Factory, cookieHeader: ""));
    }

    [Fact]
    public async Task A_stored_message_reaches_the_agents_of_its_tenant_only()
    {
        using var ownBrowser = await app.SignedInAsOwnAgentAsync();
        using var otherBrowser = new BrowserClient(app.Factory);
        await otherBrowser.SignInOrFailAsync(WebAppFixture.OtherAgentEmail, WebAppFixture.OtherPassword);
        await using var ownHub = await HubTestClient.ConnectAsync(app.Factory, ownBrowser.CookieHeader);
        await using var otherHub = await HubTestClient.ConnectAsync(app.Factory, otherBrowser.CookieHeader);
        Assert.Null(await ownHub.InvokeAsync("JoinConversation", app.Own.ConversationId));
        Assert.Null(await otherHub.InvokeAsync("JoinConversation", app.Other.ConversationId));

        var ownMessage = await app.Arrange.AddMessageAsync(app.Own, "Chegou agora", DateTimeOffset.UtcNow);
        var otherMessage = await app.Arrange.AddMessageAsync(app.Other, "Other tenant, live", DateTimeOffset.UtcNow);
        await using var bus = await BusPublisher.ConnectAsync(app.RabbitMQConnectionString);

        // The WebApp binds its queue as it starts; publishing again until the push arrives covers that moment.
        var pushed = await Eventually(async () =>
        {
            await bus.PublishAsync(BusPublisher.MessageAdded(app.Other, otherMessage));
            await bus.PublishAsync(BusPublisher.MessageAdded(app.Own, ownMessage));
        }, () => ownHub.WaitForPushAsync("messageAdded", m => Id(m, "messageId") == ownMessage.Id, TimeSpan.FromSeconds(1)));
        await otherHub.WaitForPushAsync("messageAdded", m => Id(m, "messageId") == otherMessage.Id, Delivery);
        var update = await ownHub.WaitForPushAsync("conversationUpdated", m => Id(m, "conversationId") == app.Own.ConversationId, Delivery);

        Assert.Equal(app.Own.ConversationId, Id(pushed, "conversationId"));
        Assert.Equal("inbound", pushed.GetProperty("direction").GetString());
        Assert.Equal("contact", pushed.GetProperty("sender").GetString());
        Assert.Equal("Chegou agora", pushed.GetProperty("text").GetString());
        Assert.Equal("Chegou agora", update.GetProperty("text").GetString());

        // Give a stray cross-tenant push time to arrive before looking for one.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(ownHub.Pushes(), p => Mentions(p.Argument, app.Other.ConversationId));
        Assert.DoesNotContain(otherHub.Pushes(), p => Mentions(p.Argument, app.Own.ConversationId));
    }

    private static Guid Id(JsonElement payload, string property) => payload.GetProperty(property).GetGuid();

    private static bool Mentions(JsonElement payload, Guid conversationId) => Id(payload, "conversationId") == conversationId;

    private static async Task<JsonElement> Eventually(Func<Task> act, Func<Task<JsonElement>> observe)
    {
        var deadline = DateTime.UtcNow + Delivery;
        while (true)
        {
            await act();
            try
            {
                return await observe();
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }
}
