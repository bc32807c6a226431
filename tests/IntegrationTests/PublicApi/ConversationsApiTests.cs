using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

public sealed class ConversationsApiTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    [Fact]
    public async Task A_key_lists_only_its_own_tenant_s_conversations_most_recent_first()
    {
        using var client = api.Client(api.TenantA.ApiKey);

        var response = await client.GetAsync("/api/v1/conversations");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var conversations = await response.Content.ReadFromJsonAsync<JsonElement[]>();
        Assert.Equal(api.ConversationsOfA.Select(c => c.ConversationId), conversations!.Select(c => c.GetProperty("id").GetGuid()));
        Assert.Equal("3", TotalCount(response));

        var newest = api.ConversationsOfA[0];
        var first = conversations![0];
        Assert.Equal(api.TenantA.ChannelId, first.GetProperty("channelId").GetGuid());
        Assert.Equal("whatsapp", first.GetProperty("channelType").GetString());
        Assert.Equal("open", first.GetProperty("status").GetString());
        Assert.Equal(newest.LastMessageAt, first.GetProperty("lastMessageAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        var contact = first.GetProperty("contact");
        Assert.Equal(newest.ContactId, contact.GetProperty("id").GetGuid());
        Assert.Equal(newest.ContactExternalId, contact.GetProperty("externalId").GetString());
        Assert.Equal(newest.ContactName, contact.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task The_other_tenant_sees_its_own_conversation_only()
    {
        using var client = api.Client(api.TenantB.ApiKey);

        var conversations = await client.GetFromJsonAsync<JsonElement[]>("/api/v1/conversations");

        Assert.Equal(api.ConversationOfB.ConversationId, Assert.Single(conversations!).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task An_own_conversation_is_found_by_id()
    {
        using var client = api.Client(api.TenantA.ApiKey);
        var expected = api.ConversationsOfA[1];

        var conversation = await client.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{expected.ConversationId}");

        Assert.Equal(expected.ConversationId, conversation.GetProperty("id").GetGuid());
        Assert.Equal(expected.ContactName, conversation.GetProperty("contact").GetProperty("displayName").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("/messages")]
    public async Task Another_tenant_s_conversation_is_not_found(string subPath)
    {
        using var client = api.Client(api.TenantA.ApiKey);

        var response = await client.GetAsync($"/api/v1/conversations/{api.ConversationOfB.ConversationId}{subPath}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        Assert.DoesNotContain(api.ConversationOfB.ContactName, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Messages_come_oldest_first_with_direction_and_text()
    {
        using var client = api.Client(api.TenantA.ApiKey);
        var conversation = api.ConversationsOfA[0];

        var response = await client.GetAsync($"/api/v1/conversations/{conversation.ConversationId}/messages");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2", TotalCount(response));
        var messages = await response.Content.ReadFromJsonAsync<JsonElement[]>();
        Assert.Equal(conversation.Messages.Select(m => m.Id), messages!.Select(m => m.GetProperty("id").GetGuid()));
        for (var i = 0; i < messages!.Length; i++)
        {
            var expected = conversation.Messages[i];
            Assert.Equal(expected.Direction, messages[i].GetProperty("direction").GetString());
            Assert.Equal(expected.Sender, messages[i].GetProperty("sender").GetString());
            Assert.Equal(expected.Text, messages[i].GetProperty("text").GetString());
            Assert.Equal("text", messages[i].GetProperty("contentType").GetString());
            Assert.Equal(expected.Model, messages[i].GetProperty("model").GetString());
            // Outbound messages carry their delivery state at the channel; inbound ones have none.
            Assert.Equal(expected.Direction == "outbound" ? "delivered" : null, messages[i].GetProperty("deliveryStatus").GetString());
        }
    }

    [Fact]
    public async Task Pages_split_the_list_and_carry_the_total_count()
    {
        using var client = api.Client(api.TenantA.ApiKey);

        var first = await client.GetAsync("/api/v1/conversations?page=1&pageSize=2");
        var second = await client.GetAsync("/api/v1/conversations?page=2&pageSize=2");
        var beyond = await client.GetAsync("/api/v1/conversations?page=3&pageSize=2");

        var ids = api.ConversationsOfA.Select(c => c.ConversationId).ToArray();
        Assert.Equal(ids[..2], await IdsAsync(first));
        Assert.Equal(ids[2..], await IdsAsync(second));
        Assert.Empty(await IdsAsync(beyond));
        Assert.All([first, second, beyond], response => Assert.Equal("3", TotalCount(response)));
    }

    [Fact]
    public async Task Message_pages_split_the_conversation()
    {
        using var client = api.Client(api.TenantA.ApiKey);
        var conversation = api.ConversationsOfA[0];

        var second = await client.GetAsync($"/api/v1/conversations/{conversation.ConversationId}/messages?page=2&pageSize=1");

        Assert.Equal([conversation.Messages[1].Id], await IdsAsync(second));
        Assert.Equal("2", TotalCount(second));
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    public async Task Invalid_paging_is_a_validation_problem(string query, string field)
    {
        using var client = api.Client(api.TenantA.ApiKey);

        foreach (var path in new[] { "/api/v1/conversations", $"/api/v1/conversations/{api.ConversationsOfA[0].ConversationId}/messages" })
        {
            var response = await client.GetAsync($"{path}?{query}");

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            var errors = problem.GetProperty("errors");
            Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
            Assert.NotEmpty(errors.GetProperty(field).EnumerateArray());
        }
    }

    private static string? TotalCount(HttpResponseMessage response)
        => response.Headers.TryGetValues("X-Total-Count", out var values) ? Assert.Single(values) : null;

    private static async Task<Guid[]> IdsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = await response.Content.ReadFromJsonAsync<JsonElement[]>();
        return items!.Select(i => i.GetProperty("id").GetGuid()).ToArray();
    }
}
