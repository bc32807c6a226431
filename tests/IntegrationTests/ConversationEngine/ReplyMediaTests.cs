using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database;
using SaasAssistants.Database.Media;
using SaasAssistants.IntegrationTests.AiProviders;
using SaasAssistants.IntegrationTests.MessageProcessor;
using SaasAssistants.MessageProcessor.Context;
using SaasAssistants.MessageProcessor.Knowledge;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.ConversationEngine;

/// <summary>
/// What a reply's model sees of the customer's media, against the real PostgreSQL (message_media and media_contents
/// rows as media.fetch leaves them): a stored image goes as the image itself, on OpenAI's and Anthropic's real wire
/// formats; the newest three only, each counted in the token budget; everything without bytes as a text marker.
/// </summary>
public sealed class ReplyMediaTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    // A real 1×1 PNG.
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private EngineHost _host = null!;
    private TenantChannel _tenant = null!;
    private StoredRows _rows = null!;

    public async Task InitializeAsync()
    {
        _host = await EngineHost.CreateAsync(database, services: services => services.AddScoped<IKnowledgeRetriever, BakeryKnowledge>());
        _tenant = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Padaria Media", bufferTimeoutMs: 0);
        _rows = new StoredRows(database.OwnerConnectionString, _tenant.TenantId);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("OpenAI")]
    [InlineData("Anthropic")]
    public async Task A_stored_image_reaches_the_provider_as_an_image_with_exactly_its_bytes(string kind)
    {
        await using var server = await ProviderWireServer.StartAsync();
        using var host = await WireHostAsync(server, kind);
        var tenant = await TenantChannel.InsertAsync(database.OwnerConnectionString, $"Padaria Foto {kind}", bufferTimeoutMs: 0);
        var rows = new StoredRows(database.OwnerConnectionString, tenant.TenantId);
        await ReplyToStoredPhotoAsync(host, tenant, rows, caption: null);

        var request = Assert.Single(server.Requests);
        var parts = request.Body.GetProperty("messages").EnumerateArray().Last().GetProperty("content").EnumerateArray().ToList();
        var image = Assert.Single(parts);
        if (kind == "OpenAI")
        {
            Assert.Equal("image_url", image.GetProperty("type").GetString());
            var url = image.GetProperty("image_url").GetProperty("url").GetString()!;
            Assert.StartsWith("data:image/png;base64,", url);
            Assert.Equal(Png, Convert.FromBase64String(url["data:image/png;base64,".Length..]));
        }
        else
        {
            Assert.Equal("image", image.GetProperty("type").GetString());
            var source = image.GetProperty("source");
            Assert.Equal(("base64", "image/png"), (source.GetProperty("type").GetString(), source.GetProperty("media_type").GetString()));
            Assert.Equal(Png, Convert.FromBase64String(source.GetProperty("data").GetString()!));
        }
        Assert.Equal(server.ReplyText, Assert.Single(await rows.MessagesAsync(), m => m.Direction == "outbound").Text);
    }

    [Fact]
    public async Task A_provider_configured_without_images_gets_the_marker_in_place_of_the_image()
    {
        await using var server = await ProviderWireServer.StartAsync();
        using var host = await WireHostAsync(server, "OpenAI", images: false);
        var tenant = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Padaria Texto", bufferTimeoutMs: 0);
        var rows = new StoredRows(database.OwnerConnectionString, tenant.TenantId);
        await ReplyToStoredPhotoAsync(host, tenant, rows, caption: "Chegou assim");

        var parts = Assert.Single(server.Requests).Body.GetProperty("messages").EnumerateArray().Last().GetProperty("content");
        // Exactly text parts: no image_url, and nothing of ours beside the text.
        Assert.Equal("""[{"type":"text","text":"Chegou assim"},{"type":"text","text":"[The customer sent an image (not shown here)]"}]""",
            JsonSerializer.Serialize(parts));
    }

    [Fact]
    public async Task Media_without_bytes_becomes_a_marker_never_an_empty_turn()
    {
        var conversation = await ConversationAsync();
        await AddInboundAsync(conversation, new MessageContent(MessageContentType.Audio) { Media = new("wamid-audio", "audio/ogg") { Voice = true } });
        var pending = await AddInboundAsync(conversation, Image("Chegou assim"));
        await AddMediaAsync(pending, "pending", "image/png", null);
        var failed = await AddInboundAsync(conversation, Image(null));
        await AddMediaAsync(failed, "failed", null, null);
        var tooLarge = await AddInboundAsync(conversation, Image(null));
        await AddMediaAsync(tooLarge, "stored", "image/jpeg", Png, sizeBytes: ContextImages.MaxBytes + 1);
        var heic = await AddInboundAsync(conversation, Image(null));
        await AddMediaAsync(heic, "stored", "image/heic", Png);
        await AddInboundAsync(conversation, new MessageContent(MessageContentType.Document) { Media = new("wamid-doc", "application/pdf", "pedido.pdf") });
        await AddInboundAsync(conversation, new MessageContent(MessageContentType.Location)
        {
            Location = new LocationContent(-23.5613, -46.6565, "Loja Paulista", "Av. Paulista, 1000"),
        });

        var context = await ContextAsync(conversation, budgetTokens: 20_000);

        Assert.DoesNotContain(context.Turns, t => string.IsNullOrWhiteSpace(t.Text));
        Assert.DoesNotContain(context.Turns, t => t.Contents.OfType<DataContent>().Any());
        Assert.Equal(new[]
        {
            "Oi",
            "[The customer sent a voice message]",
            "[The customer sent an image (not shown here)]|Chegou assim",
            "[The customer sent an image (not shown here)]",
            "[The customer sent an image (not shown here)]",
            "[The customer sent an image (not shown here)]",
            "[The customer sent a document: pedido.pdf]",
            "[The customer shared a location: Loja Paulista, Av. Paulista, 1000 (-23.5613, -46.6565)]",
        }, context.Turns.Select(t => string.Join('|', t.Contents.OfType<TextContent>().Select(c => c.Text))));
    }

    [Fact]
    public async Task Only_the_newest_three_images_carry_their_bytes()
    {
        var conversation = await ConversationAsync();
        var photos = Enumerable.Range(1, 5).Select(i => Png.Concat(new[] { (byte)i }).ToArray()).ToList();
        foreach (var (photo, i) in photos.Select((p, i) => (p, i)))
        {
            var message = await AddInboundAsync(conversation, Image($"Foto {i + 1}"));
            await AddMediaAsync(message, "stored", "image/png", photo);
        }

        var context = await ContextAsync(conversation, budgetTokens: 20_000);

        var images = context.Turns.Skip(1).ToList();
        Assert.Equal(5, images.Count);
        Assert.All(images.Take(2), t => Assert.Equal(new[] { "[The customer sent an image (not shown here)]", t.Contents.OfType<TextContent>().Last().Text },
            t.Contents.OfType<TextContent>().Select(c => c.Text)));
        Assert.All(images.Take(2), t => Assert.Empty(t.Contents.OfType<DataContent>()));
        Assert.Equal(photos.Skip(2).Select(p => Convert.ToBase64String(p)),
            images.Skip(2).Select(t => Convert.ToBase64String(Assert.Single(t.Contents.OfType<DataContent>()).Data.ToArray())));
        Assert.All(images.Skip(2), t => Assert.Equal("image/png", t.Contents.OfType<DataContent>().Single().MediaType));
    }

    [Fact]
    public async Task Each_image_is_counted_in_the_budget_and_one_that_does_not_fit_goes_as_its_marker()
    {
        var counter = _host.Services.GetRequiredService<TokenCounter>();
        var conversation = await ConversationAsync();
        var older = await AddInboundAsync(conversation, Image(null));
        await AddMediaAsync(older, "stored", "image/png", Png);
        var newest = await AddInboundAsync(conversation, Image(null));
        await AddMediaAsync(newest, "stored", "image/png", Png);

        var roomy = await ContextAsync(conversation, budgetTokens: 20_000);
        var tight = await ContextAsync(conversation, budgetTokens: 2_000);

        Assert.Equal(counter.CountMessage("Oi") + 2 * (counter.CountMessage(string.Empty) + ContextImages.TokensPerImage), roomy.Tokens);
        // Both images do not fit 2,000 tokens: the older goes as its marker, and the turns before it still go.
        Assert.Equal(3, tight.Turns.Count);
        Assert.Equal(0, tight.DroppedMessages);
        Assert.InRange(tight.Tokens, ContextImages.TokensPerImage, 2_000);
        Assert.Equal("[The customer sent an image (not shown here)]", tight.Turns[1].Text);
        Assert.Single(tight.Turns[2].Contents.OfType<DataContent>());
    }

    [Fact]
    public async Task The_built_in_responder_asks_what_the_customer_needs_and_never_pretends_to_see_the_media()
    {
        // A tenant of its own: every ai.reply task of it is run.
        var tenant = await TenantChannel.InsertAsync(database.OwnerConnectionString, "Padaria Arquivo", bufferTimeoutMs: 0);
        var rows = new StoredRows(database.OwnerConnectionString, tenant.TenantId);
        await _host.HandleAsync(tenant.Inbound(Visitor(), "") with
        {
            Content = new MessageContent(MessageContentType.Audio) { Media = new("wamid-voice", "audio/ogg") { Voice = true } },
        });
        await _host.HandleAsync(tenant.Inbound(Visitor(), "") with { Content = Image(null) });
        await StoreMediaAsync((await rows.MessagesAsync()).Last().Id, "image/png", Png);

        foreach (var task in await rows.TasksAsync("ai.reply"))
        {
            await _host.RunTaskAsync(rows, tenant.TenantId, task.Id);
        }

        var replies = (await rows.MessagesAsync()).Where(m => m.Direction == "outbound").ToList();
        Assert.Equal(2, replies.Count);
        // In the customer's language (nothing decides it: pt-BR), not the markers' English, and no handoff for a file.
        Assert.All(replies, r => Assert.Equal("Obrigado, recebi seu arquivo. Pode me dizer em poucas palavras como posso ajudar?", r.Text));
        Assert.All(await rows.ConversationsAsync(), c => Assert.Equal("assistant", c.Handoff));
    }

    private async Task<EngineHost> WireHostAsync(ProviderWireServer server, string kind, bool images = true) =>
        await EngineHost.CreateAsync(database, new Dictionary<string, string?>
        {
            ["Ai:Providers:wire:Kind"] = kind,
            ["Ai:Providers:wire:Endpoint"] = kind == "OpenAI" ? server.OpenAIEndpoint.ToString() : server.BaseAddress.ToString(),
            ["Ai:Providers:wire:ApiKey"] = kind == "OpenAI" ? WireClients.OpenAIKey : WireClients.AnthropicKey,
            ["Ai:Providers:wire:Model"] = kind == "OpenAI" ? WireClients.OpenAIModel : WireClients.AnthropicModel,
            ["Ai:Providers:wire:Images"] = images ? "true" : "false",
            ["Ai:Chain:0"] = "wire",
        }, services => services.AddScoped<IKnowledgeRetriever, BakeryKnowledge>());

    /// <summary>A photo as the Gateway publishes it, its bytes stored as media.fetch does, then the ai.reply that answers it.</summary>
    private async Task ReplyToStoredPhotoAsync(EngineHost host, TenantChannel tenant, StoredRows rows, string? caption)
    {
        await host.HandleAsync(tenant.Inbound(Visitor(), "") with { Content = Image(caption) });
        await StoreMediaAsync(Assert.Single(await rows.MessagesAsync()).Id, "image/png", Png);
        await host.RunTaskAsync(rows, tenant.TenantId, Assert.Single(await rows.TasksAsync("ai.reply")).Id);
    }

    private static string Visitor() => "visitor-" + Guid.NewGuid().ToString("N")[..8];

    private static MessageContent Image(string? caption) =>
        new(MessageContentType.Image, caption) { Media = new MediaReference("wamid-" + Guid.NewGuid().ToString("N")[..8], "image/png") };

    /// <summary>A conversation whose customer said "Oi", answered by a task that takes the messages added next too.</summary>
    private async Task<StoredConversation> ConversationAsync()
    {
        var visitor = Visitor();
        await _host.HandleAsync(_tenant.Inbound(visitor, "Oi"));
        var contact = Assert.Single(await _rows.ContactsAsync(), c => c.ExternalId == visitor);
        return Assert.Single(await _rows.ConversationsAsync(), c => c.ContactId == contact.Id);
    }

    private async Task<Guid> AddInboundAsync(StoredConversation conversation, MessageContent content)
    {
        var id = Guid.CreateVersion7();
        await OwnerAsync("""
            INSERT INTO messages (id, tenant_id, conversation_id, channel_id, direction, sender, content, created_at, task_id)
            SELECT $1, tenant_id, conversation_id, channel_id, 'inbound', 'contact', $2::jsonb, clock_timestamp(), task_id
            FROM messages WHERE conversation_id = $3 ORDER BY created_at LIMIT 1
            """, id, JsonSerializer.Serialize(content, SaasAssistants.Contracts.ContractJson.Options), conversation.Id);
        return id;
    }

    /// <summary>The message_media row as media.fetch leaves it, and the bytes when there are any.</summary>
    private Task AddMediaAsync(Guid messageId, string status, string? contentType, byte[]? content, long? sizeBytes = null) => OwnerAsync("""
        WITH media AS (
            INSERT INTO message_media (id, tenant_id, message_id, channel_id, kind, source, status, content_type, size_bytes, stored_at)
            SELECT gen_random_uuid(), tenant_id, id, channel_id, 'image', 'wamid-' || id, $2::text, $3::text, $4::bigint, CASE WHEN $2::text = 'stored' THEN now() END
            FROM messages WHERE id = $1
            RETURNING id, tenant_id)
        INSERT INTO media_contents (media_id, tenant_id, content) SELECT id, tenant_id, $5::bytea FROM media WHERE $5::bytea IS NOT NULL
        """, messageId, status, (object?)contentType ?? DBNull.Value, (object?)(sizeBytes ?? content?.LongLength) ?? DBNull.Value,
        (object?)content ?? DBNull.Value);

    /// <summary>Completes the pending row the handler made for an inbound attachment, as media.fetch does.</summary>
    private Task StoreMediaAsync(Guid messageId, string contentType, byte[] content) => OwnerAsync("""
        WITH media AS (
            UPDATE message_media SET status = 'stored', content_type = $2, size_bytes = $3, stored_at = now()
            WHERE message_id = $1 RETURNING id, tenant_id)
        INSERT INTO media_contents (media_id, tenant_id, content) SELECT id, tenant_id, $4 FROM media
        """, messageId, contentType, content.LongLength, content);

    private async Task<ReplyContext> ContextAsync(StoredConversation stored, int budgetTokens)
    {
        await using var scope = _host.TenantScope(_tenant.TenantId);
        var db = scope.ServiceProvider.GetRequiredService<SaasDbContext>();
        var conversation = await db.Conversations.AsNoTracking().SingleAsync(c => c.Id == stored.Id);
        return await scope.ServiceProvider.GetRequiredService<ConversationContext>().BuildAsync(db, scope.ServiceProvider.GetRequiredService<IMediaStorage>(),
            conversation, budgetTokens, systemTokens: 0, CancellationToken.None);
    }

    private async Task OwnerAsync(string sql, params object[] parameters)
    {
        await using var owner = new NpgsqlConnection(database.OwnerConnectionString);
        await owner.OpenAsync();
        await using var command = new NpgsqlCommand(sql, owner);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }
}
