using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>
/// v2 messages list the files customers sent, as we keep them (pending, stored or failed), and a stored one downloads
/// with the same key: the tenant's own conversation only, always as an attachment with its checked type.
/// </summary>
public sealed class AttachmentsApiTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>, IAsyncLifetime
{
    // A 1×1 PNG.
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");
    private readonly Guid _photoMessage = Guid.CreateVersion7();
    private readonly Guid _photo = Guid.CreateVersion7();
    private readonly Guid _voiceMessage = Guid.CreateVersion7();
    private readonly Guid _voice = Guid.CreateVersion7();
    private ApiConversation _conversation = default!;

    public async Task InitializeAsync()
    {
        var tenant = api.TenantA;
        _conversation = api.ConversationsOfA[2];
        var at = _conversation.LastMessageAt;
        // A photo media.fetch has stored (WhatsApp sends no file name with an image), and a voice note it has not downloaded yet.
        await api.Arrange.ExecuteAsync("""
            INSERT INTO messages (id, tenant_id, conversation_id, channel_id, direction, sender, content, created_at)
            VALUES ($1, $2, $3, $4, 'inbound', 'contact', '{"type": "image", "text": "A caixa chegou assim", "media": {"id": "1003383421387256", "mimeType": "image/png"}}', $5),
                   ($6, $2, $3, $4, 'inbound', 'contact', '{"type": "audio", "media": {"id": "1003383421387257", "mimeType": "audio/ogg"}}', $7)
            """, _photoMessage, tenant.TenantId, _conversation.ConversationId, tenant.ChannelId, at.AddSeconds(1), _voiceMessage, at.AddSeconds(2));
        await api.Arrange.ExecuteAsync("""
            INSERT INTO message_media (id, tenant_id, message_id, channel_id, kind, source, status, content_type, size_bytes, sha256, stored_at)
            VALUES ($1, $2, $3, $4, 'image', '1003383421387256', 'stored', 'image/png', $5, $6, now())
            """, _photo, tenant.TenantId, _photoMessage, tenant.ChannelId, (long)Png.Length, Convert.ToHexStringLower(SHA256.HashData(Png)));
        await api.Arrange.ExecuteAsync("INSERT INTO media_contents (media_id, tenant_id, content) VALUES ($1, $2, $3)", _photo, tenant.TenantId, Png);
        await api.Arrange.ExecuteAsync("""
            INSERT INTO message_media (id, tenant_id, message_id, channel_id, kind, source) VALUES ($1, $2, $3, $4, 'audio', '1003383421387257')
            """, _voice, tenant.TenantId, _voiceMessage, tenant.ChannelId);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_message_lists_its_attachments_and_a_stored_one_downloads_with_the_same_key()
    {
        using var client = api.Client(api.TenantA.ApiKey);

        var page = await (await client.GetAsync($"/api/v2/conversations/{_conversation.ConversationId}/messages")).ReadJsonAsync(HttpStatusCode.OK);

        var messages = page.GetProperty("data").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetGuid());
        Assert.Equal(0, messages[_conversation.Messages[0].Id].GetProperty("attachments").GetArrayLength());
        var photo = Assert.Single(messages[_photoMessage].GetProperty("attachments").EnumerateArray());
        Assert.Equal((_photo, "image", "stored", "image/png", Png.Length, JsonValueKind.Null),
            (photo.GetProperty("id").GetGuid(), photo.GetProperty("kind").GetString(), photo.GetProperty("status").GetString(),
             photo.GetProperty("contentType").GetString(), photo.GetProperty("sizeBytes").GetInt32(), photo.GetProperty("fileName").ValueKind));
        var voice = Assert.Single(messages[_voiceMessage].GetProperty("attachments").EnumerateArray());
        Assert.Equal("pending", voice.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, voice.GetProperty("url").ValueKind);

        var download = await client.GetAsync(photo.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        // Named so that it opens: its kind and id, with its type's extension.
        Assert.Equal($"image-{_photo}.png", download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(("nosniff", "sandbox"), (Assert.Single(download.Headers.GetValues("X-Content-Type-Options")),
            Assert.Single(download.Headers.GetValues("Content-Security-Policy"))));
        Assert.Equal(Png, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Png)), photo.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task A_pending_attachment_another_conversation_s_path_and_another_tenant_s_key_get_a_404_problem()
    {
        using var owner = api.Client(api.TenantA.ApiKey);
        using var stranger = api.Client(api.TenantB.ApiKey);
        var conversation = _conversation.ConversationId;

        await (await owner.GetAsync($"/api/v2/conversations/{conversation}/attachments/{_voice}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await owner.GetAsync($"/api/v2/conversations/{api.ConversationsOfA[0].ConversationId}/attachments/{_photo}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.GetAsync($"/api/v2/conversations/{conversation}/attachments/{_photo}")).ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Client().GetAsync($"/api/v2/conversations/{conversation}/attachments/{_photo}")).StatusCode);
    }

    [Fact]
    public async Task The_v2_document_describes_the_download_as_a_binary_file()
    {
        using var client = api.Client();

        var document = await (await client.GetAsync("/openapi/v2.json")).ReadJsonAsync(HttpStatusCode.OK);

        var operation = document.GetProperty("paths").GetProperty("/api/v2/conversations/{id}/attachments/{attachmentId}").GetProperty("get");
        Assert.StartsWith("Downloads a file a customer sent", operation.GetProperty("summary").GetString());
        var schema = operation.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/octet-stream").GetProperty("schema");
        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        Assert.Equal(("string", "binary"), (schema.GetProperty("type").GetString(), schema.GetProperty("format").GetString()));
    }
}
