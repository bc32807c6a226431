using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>Contacts in v1 (pages, search) and v2 (cursor), get and update; and v2's delivery state on messages.</summary>
public sealed class ContactsApiTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    [Fact]
    public async Task V1_lists_only_the_tenants_contacts_with_a_total_count_and_searches_names_and_channel_ids()
    {
        using var client = api.Client(api.TenantA.ApiKey);

        var response = await client.GetAsync("/api/v1/contacts?pageSize=2");
        var page = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("3", response.TotalCount());
        Assert.Equal(2, page.GetArrayLength());
        var all = await (await client.GetAsync("/api/v1/contacts")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(api.ConversationsOfA.Select(c => c.ContactId).Order(), all.Ids().Order());

        var carla = api.ConversationsOfA.Single(c => c.ContactName == "Carla");
        var byName = await (await client.GetAsync("/api/v1/contacts?search=CARL")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([carla.ContactId], byName.Ids());
        var byNumber = await (await client.GetAsync($"/api/v1/contacts?search={carla.ContactExternalId[4..]}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([carla.ContactId], byNumber.Ids());
        // B's contact is invisible, even searched for by name.
        Assert.Equal(0, (await (await client.GetAsync("/api/v1/contacts?search=Secret")).ReadJsonAsync(HttpStatusCode.OK)).GetArrayLength());
        await (await client.GetAsync($"/api/v1/contacts/{api.ConversationOfB.ContactId}")).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task V2_pages_contacts_by_cursor_to_the_end()
    {
        using var client = api.Client(api.TenantA.ApiKey);

        var first = await (await client.GetAsync("/api/v2/contacts?limit=2")).ReadJsonAsync(HttpStatusCode.OK);
        var second = await (await client.GetAsync($"/api/v2/contacts?limit=2&cursor={first.GetProperty("nextCursor").GetString()}")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(2, first.GetProperty("data").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        Assert.Equal(api.ConversationsOfA.Select(c => c.ContactId).Order(),
            first.GetProperty("data").Ids().Concat(second.GetProperty("data").Ids()).Order());
        await (await client.GetAsync("/api/v2/contacts?cursor=not-ours")).ReadProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_contacts_name_and_metadata_are_updated_and_bad_input_is_a_400_that_changes_nothing()
    {
        var tenant = await api.Arrange.AddTenantAsync("Updates contacts");
        var conversation = await api.Arrange.AddConversationAsync(tenant, "Dora", DateTimeOffset.UtcNow);
        using var client = api.Client(tenant.ApiKey);
        var path = $"/api/v1/contacts/{conversation.ContactId}";

        var updated = await (await client.PatchAsJsonAsync(path, new { displayName = "Dora Lima", metadata = new { crmId = "C-42", vip = true } }))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Dora Lima", updated.GetProperty("displayName").GetString());

        var read = await (await client.GetAsync($"/api/v2/contacts/{conversation.ContactId}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("Dora Lima", "C-42", true), (read.GetProperty("displayName").GetString(),
            read.GetProperty("metadata").GetProperty("crmId").GetString(), read.GetProperty("metadata").GetProperty("vip").GetBoolean()));

        var notObject = await (await client.PatchAsJsonAsync(path, new { metadata = new[] { 1, 2 } })).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(notObject.GetProperty("errors").TryGetProperty("metadata", out _));
        await (await client.PatchAsync(path, new StringContent("{\"displayName\":", Encoding.UTF8, "application/json"))).ReadProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PatchAsJsonAsync($"/api/v1/contacts/{api.ConversationOfB.ContactId}", new { displayName = "Hijacked" }))
            .ReadProblemAsync(HttpStatusCode.NotFound);
        var unchanged = await (await client.GetAsync(path)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("C-42", unchanged.GetProperty("metadata").GetProperty("crmId").GetString());
    }

    [Fact]
    public async Task V2_messages_carry_their_delivery_state_at_the_channel()
    {
        using var client = api.Client(api.TenantA.ApiKey);
        var conversation = api.ConversationsOfA[0];
        await api.Arrange.ExecuteAsync(
            "UPDATE messages SET delivery_status = 'failed', delivery_error = '131047', delivery_updated_at = now() WHERE id = $1",
            conversation.Messages[1].Id);

        var page = await (await client.GetAsync($"/api/v2/conversations/{conversation.ConversationId}/messages")).ReadJsonAsync(HttpStatusCode.OK);

        var messages = page.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(JsonValueKind.Null, messages[0].GetProperty("delivery").ValueKind);
        var delivery = messages[1].GetProperty("delivery");
        Assert.Equal(("failed", "131047"), (delivery.GetProperty("status").GetString(), delivery.GetProperty("error").GetString()));
        Assert.NotEqual(JsonValueKind.Null, delivery.GetProperty("updatedAt").ValueKind);
    }
}
