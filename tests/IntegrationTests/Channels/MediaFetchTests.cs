using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SaasAssistants.Contracts;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database.Media;
using SaasAssistants.IntegrationTests.ConversationEngine;
using SaasAssistants.IntegrationTests.Gateway;
using SaasAssistants.MessageProcessor.Conversations;
using SaasAssistants.MessageProcessor.Media;
using SaasAssistants.MessageProcessor.Tasks;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.Channels;

/// <summary>
/// Inbound media end to end on real HTTP: a customer's file goes from the channel simulator (Meta's side) through the
/// real Gateway to a stored message with a pending media row and a media.fetch task, which downloads it with the
/// channel's token from the simulator's Graph media endpoints (metadata, then the URL) and stores it; Twilio's
/// MediaUrl with basic auth and Instagram's attachment URL likewise. Size limit and content check fail the row with a reason.
/// Only allowed hosts are fetched from (Meta's and Twilio's, the base URLs', Media:AllowedHosts: the simulator's, as the
/// AppHost passes it); a URL elsewhere, or into this machine's network, fails the row for good before any request.
/// </summary>
public sealed class MediaFetchTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    // A 1×1 PNG.
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");
    private GatewayFactory _gateway = null!;
    private SimulatorServer _simulator = null!;
    private EngineHost _engine = null!;
    private MetaChannel _whatsApp = null!;
    private MetaChannel _twilio = null!;
    private MetaChannel _instagram = null!;
    private OwnerQueries _db = null!;
    private WebApplication _site = null!;
    private int _sitePort;
    private int _siteRequests;

    public async Task InitializeAsync()
    {
        // A real file server on this machine, so a refusal cannot be mistaken for a file that is simply not there.
        var site = WebApplication.CreateSlimBuilder();
        site.WebHost.UseUrls("http://127.0.0.1:0");
        _site = site.Build();
        _site.Use((HttpContext context, RequestDelegate next) =>
        {
            Interlocked.Increment(ref _siteRequests);
            return next(context);
        });
        _site.MapGet("/cat.png", () => Results.Bytes(Png, "image/png"));
        _site.MapGet("/moved", () => Results.Redirect($"http://127.0.0.1:{_sitePort}/cat.png"));
        await _site.StartAsync();
        _sitePort = new Uri(_site.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

        _db = new OwnerQueries(database.OwnerConnectionString);
        _whatsApp = await MetaChannel.InsertAsync(database.OwnerConnectionString, database.EncryptionKey, "whatsapp");
        _twilio = await MetaChannel.InsertAsync(database.OwnerConnectionString, database.EncryptionKey, "whatsapp", "twilio",
            externalId: "whatsapp:+14155238886", providerAccountId: SimulatorServer.TwilioAccountSid);
        _instagram = await MetaChannel.InsertAsync(database.OwnerConnectionString, database.EncryptionKey, "instagram");
        _gateway = await GatewayFactory.CreateAsync(database);
        // An explicit listener, not UseKestrel(0): with a port, WebApplicationFactory rewrites the server's addresses while a
        // minimal app's Kestrel may already be binding them, and loses that race now and then (dotnet/aspnetcore#67714).
        _gateway.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        _gateway.StartServer();
        var gatewayAddress = _gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _simulator = await SimulatorServer.StartAsync(new Uri(gatewayAddress + "/"), _whatsApp, _instagram, _twilio);
        _engine = await EngineAsync(maxBytes: 64 * 1024);
    }

    public async Task DisposeAsync()
    {
        _engine.Dispose();
        await _simulator.DisposeAsync();
        await _gateway.DisposeAsync();
        await _site.DisposeAsync();
    }

    [Fact]
    public async Task A_whatsapp_image_is_fetched_with_the_channels_token_through_graphs_media_endpoint_and_stored_for_its_tenant_only()
    {
        var played = await _simulator.Http.PostAsJsonAsync("simulator/whatsapp/messages", new
        {
            from = "5511987652222", name = "Bia", text = "Olha o defeito",
            file = new { kind = "image", contentType = "image/png", base64 = Convert.ToBase64String(Png) },
        });
        Assert.Equal(200, (await played.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("gatewayStatus").GetInt32());

        var task = await ReceiveAsync(_whatsApp, await EventAsync(_whatsApp));
        var media = await MediaAsync(task.MediaId);
        Assert.Equal(("image", "pending"), (media.Kind, media.Status));

        await RunAsync(_engine, _whatsApp, task.TaskId);

        media = await MediaAsync(task.MediaId);
        Assert.Equal(("stored", "image/png", (long)Png.Length, Convert.ToHexStringLower(SHA256.HashData(Png))),
            (media.Status, media.ContentType, media.SizeBytes, media.Sha256));
        await using (var scope = _engine.TenantScope(_whatsApp.TenantId))
        {
            Assert.Equal(Png, await scope.ServiceProvider.GetRequiredService<IMediaStorage>().ReadAsync(task.MediaId, CancellationToken.None));
        }
        await using (var other = _engine.TenantScope(_twilio.TenantId))
        {
            Assert.Null(await other.ServiceProvider.GetRequiredService<IMediaStorage>().ReadAsync(task.MediaId, CancellationToken.None));
        }

        // The CRM is told in the same commit, so an open page can show the file in place of its label.
        const string Announced = "FROM outbox_messages WHERE tenant_id = $1 AND event_type = 'MessageMediaStored' AND payload->>'mediaId' = $2";
        var stored = await _db.SingleAsync($"SELECT payload::text {Announced}",
            r => JsonSerializer.Deserialize<MessageMediaStored>(r.GetString(0), ContractJson.Options)!, _whatsApp.TenantId, task.MediaId.ToString());
        var message = await _db.SingleAsync("SELECT m.id, m.conversation_id FROM messages m JOIN message_media mm ON mm.message_id = m.id WHERE mm.id = $1",
            r => (r.GetGuid(0), r.GetGuid(1)), task.MediaId);
        Assert.Equal((message.Item1, message.Item2, task.MediaId, _whatsApp.TenantId), (stored.MessageId, stored.ConversationId, stored.MediaId, stored.TenantId));
        // A retried task finds the row stored and announces nothing twice.
        await RunAsync(_engine, _whatsApp, task.TaskId);
        Assert.Equal(1L, await _db.SingleAsync($"SELECT count(*) {Announced}", r => r.GetInt64(0), _whatsApp.TenantId, task.MediaId.ToString()));
    }

    [Fact]
    public async Task The_simulator_page_sends_an_uploaded_image_that_media_fetch_stores_and_a_location()
    {
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new() { BaseURL = _simulator.Address.ToString(), ViewportSize = new() { Width = 1100, Height = 640 } });
        await page.GotoAsync("/");
        await page.FillAsync("#contact", "5511987654444");
        await page.FillAsync("#name", "Carla Dias");

        await page.SetInputFilesAsync("#file", new Microsoft.Playwright.FilePayload { Name = "defeito.png", MimeType = "image/png", Buffer = Png });
        await page.FillAsync("#text", "Olha o defeito");
        await page.ClickAsync("#send button");
        await page.Locator("#log .customer", new() { HasText = "defeito.png" }).WaitForAsync();
        await page.FillAsync("#lat", "-23.5614");
        await page.FillAsync("#lon", "-46.6559");
        await page.FillAsync("#text", "Loja Paulista");
        await page.ClickAsync("#send button");
        await page.Locator("#log .customer", new() { HasText = "📍" }).WaitForAsync();
        Assert.Equal("", await page.TextContentAsync("#status"));
        Directory.CreateDirectory(SaasAssistants.IntegrationTests.WebApp.CrmBrowser.ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(SaasAssistants.IntegrationTests.WebApp.CrmBrowser.ScreenshotFolder, "channel-simulator-image-and-location.png") });

        // What reached the Gateway: a Meta image message whose media id the simulator's Graph endpoints serve, and a location.
        var events = (await _db.ListAsync("SELECT payload::text FROM outbox_messages WHERE tenant_id = $1 AND event_type = 'InboundMessageReceived' ORDER BY created_at",
            r => JsonSerializer.Deserialize<InboundMessageReceived>(r.GetString(0), ContractJson.Options)!, _whatsApp.TenantId));
        Assert.Equal([MessageContentType.Image, MessageContentType.Location], events.Select(e => e.Content.Type));
        Assert.Equal(("image/png", "Olha o defeito"), (events[0].Content.Media?.MimeType, events[0].Content.Text));
        Assert.Equal((-23.5614, -46.6559, "Loja Paulista"), (events[1].Content.Location?.Latitude, events[1].Content.Location?.Longitude, events[1].Content.Location?.Name));

        var task = await ReceiveAsync(_whatsApp, events[0]);
        await RunAsync(_engine, _whatsApp, task.TaskId);
        await using var scope = _engine.TenantScope(_whatsApp.TenantId);
        Assert.Equal(Png, await scope.ServiceProvider.GetRequiredService<IMediaStorage>().ReadAsync(task.MediaId, CancellationToken.None));
    }

    [Fact]
    public async Task An_instagram_image_attachment_is_fetched_from_its_url_and_stored()
    {
        // Instagram's attachment carries a URL (a signed CDN link), not a media id: the simulator serves the bytes there.
        var played = await _simulator.Http.PostAsJsonAsync("simulator/instagram/messages", new
        {
            from = "17841400000000042", file = new { kind = "image", contentType = "image/png", base64 = Convert.ToBase64String(Png) },
        });
        Assert.Equal(200, (await played.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("gatewayStatus").GetInt32());
        var inbound = await EventAsync(_instagram);
        Assert.Equal((MessageContentType.Image, null), (inbound.Content.Type, inbound.Content.Media?.Id));
        Assert.StartsWith(_simulator.Address.ToString(), inbound.Content.Media?.Url);

        var task = await ReceiveAsync(_instagram, inbound);
        Assert.Equal(("image", "pending"), ((await MediaAsync(task.MediaId)).Kind, (await MediaAsync(task.MediaId)).Status));
        await RunAsync(_engine, _instagram, task.TaskId);

        var media = await MediaAsync(task.MediaId);
        Assert.Equal(("stored", "image/png", (long)Png.Length, Convert.ToHexStringLower(SHA256.HashData(Png))),
            (media.Status, media.ContentType, media.SizeBytes, media.Sha256));
        await using var scope = _engine.TenantScope(_instagram.TenantId);
        Assert.Equal(Png, await scope.ServiceProvider.GetRequiredService<IMediaStorage>().ReadAsync(task.MediaId, CancellationToken.None));
    }

    [Fact]
    public async Task A_twilio_media_url_is_fetched_with_basic_auth()
    {
        var upload = await _simulator.Http.PostAsJsonAsync("simulator/media", new { kind = "document", contentType = "application/pdf", base64 = Convert.ToBase64String("%PDF-1.4 nota"u8.ToArray()) });
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var url = new Uri(_simulator.Address, $"2010-04-01/Accounts/{SimulatorServer.TwilioAccountSid}/Messages/MM{Guid.NewGuid():N}/Media/{id}").ToString();

        var task = await ReceiveAsync(_twilio, Inbound(_twilio, new MessageContent(MessageContentType.Document, null, url)
        {
            Media = new MediaReference(null, "application/pdf", Url: url),
        }));
        await RunAsync(_engine, _twilio, task.TaskId);

        var media = await MediaAsync(task.MediaId);
        Assert.Equal(("stored", "application/pdf", 13L), (media.Status, media.ContentType, media.SizeBytes));
    }

    [Fact]
    public async Task Media_over_the_size_limit_or_not_what_its_type_says_fails_with_the_reason_and_nothing_is_stored()
    {
        using var small = await EngineAsync(maxBytes: 16);
        var tooLarge = await ReceiveAsync(_whatsApp, Inbound(_whatsApp, await UploadedImageAsync("image/png", Png)), small);
        var notAnImage = await ReceiveAsync(_whatsApp, Inbound(_whatsApp, await UploadedImageAsync("image/jpeg", "not a jpeg"u8.ToArray())));

        var large = await Assert.ThrowsAsync<MediaFetchException>(() => RunAsync(small, _whatsApp, tooLarge.TaskId));
        var mismatch = await Assert.ThrowsAsync<MediaFetchException>(() => RunAsync(_engine, _whatsApp, notAnImage.TaskId));

        Assert.Equal((MediaFetchException.TooLarge, false), (large.ErrorCode, large.IsRetryable));
        Assert.Equal((MediaFetchException.ContentMismatch, false), (mismatch.ErrorCode, mismatch.IsRetryable));
        Assert.Equal(("failed", MediaFetchException.TooLarge), ((await MediaAsync(tooLarge.MediaId)).Status, (await MediaAsync(tooLarge.MediaId)).Error));
        Assert.Equal(("failed", MediaFetchException.ContentMismatch), ((await MediaAsync(notAnImage.MediaId)).Status, (await MediaAsync(notAnImage.MediaId)).Error));
        Assert.Empty(await _db.ListAsync("SELECT 1 FROM media_contents WHERE media_id = ANY($1)", r => 1, new[] { tooLarge.MediaId, notAnImage.MediaId }));
    }

    [Theory]
    [InlineData("instagram", "http://localhost:{port}/cat.png", MediaFetchException.HostNotAllowed)]
    [InlineData("twilio", "http://localhost:{port}/cat.png", MediaFetchException.HostNotAllowed)]
    [InlineData("instagram", "http://127.0.0.1:{port}/cat.png", MediaFetchException.AddressNotPublic)]
    [InlineData("twilio", "http://127.0.0.1:{port}/cat.png", MediaFetchException.AddressNotPublic)]
    [InlineData("instagram", "http://169.254.169.254/latest/meta-data/", MediaFetchException.AddressNotPublic)]
    [InlineData("instagram", "http://metadata.google.internal/computeMetadata/v1/", MediaFetchException.HostNotAllowed)]
    public async Task A_media_url_off_the_allowed_hosts_or_into_this_network_fails_for_good_before_any_request(string channel, string url, string errorCode)
    {
        using var production = await ProductionEngineAsync();
        var target = channel == "twilio" ? _twilio : _instagram;
        var task = await ReceiveAsync(target, Inbound(target, Attachment(OnSite(url))), production);

        var refused = await Assert.ThrowsAsync<MediaFetchException>(() => RunAsync(production, target, task.TaskId));

        Assert.Equal((errorCode, false), (refused.ErrorCode, refused.IsRetryable));
        await using var scope = production.Services.CreateAsyncScope();
        var failure = scope.ServiceProvider.GetServices<ITaskProcessor>().Single(p => p.Type == MediaFetchProcessor.TaskType).ClassifyFailure(refused);
        Assert.Equal((errorCode, false), (failure.Code, failure.IsRetryable));
        var media = await MediaAsync(task.MediaId);
        Assert.Equal(("failed", errorCode), (media.Status, media.Error));
        Assert.Equal(0, Volatile.Read(ref _siteRequests));
    }

    [Fact]
    public async Task A_host_named_in_media_allowed_hosts_is_fetched_even_on_this_machine()
    {
        using var production = await ProductionEngineAsync("localhost");
        var task = await ReceiveAsync(_instagram, Inbound(_instagram, Attachment(OnSite("http://localhost:{port}/cat.png"))), production);

        await RunAsync(production, _instagram, task.TaskId);

        Assert.Equal("stored", (await MediaAsync(task.MediaId)).Status);
        Assert.Equal(1, Volatile.Read(ref _siteRequests));
    }

    [Fact]
    public async Task A_redirect_is_checked_like_the_url_itself()
    {
        // localhost is allowed; the redirect leads to 127.0.0.1, which is not.
        using var production = await ProductionEngineAsync("localhost");
        var task = await ReceiveAsync(_twilio, Inbound(_twilio, Attachment(OnSite("http://localhost:{port}/moved"))), production);

        var refused = await Assert.ThrowsAsync<MediaFetchException>(() => RunAsync(production, _twilio, task.TaskId));

        Assert.Equal(MediaFetchException.AddressNotPublic, refused.ErrorCode);
        Assert.Equal(("failed", MediaFetchException.AddressNotPublic), ((await MediaAsync(task.MediaId)).Status, (await MediaAsync(task.MediaId)).Error));
        // The redirect itself was asked for; the file behind it never was.
        Assert.Equal(1, Volatile.Read(ref _siteRequests));
    }

    private async Task<EngineHost> EngineAsync(long maxBytes) => await EngineHost.CreateAsync(database, new Dictionary<string, string?>
    {
        ["Channels:GraphBaseUrl"] = _simulator.Address.ToString(),
        ["Channels:GraphVersion"] = "v23.0",
        ["Media:MaxBytes"] = maxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // As the AppHost does: the simulator serves customers' files in Meta's and Twilio's place.
        ["Media:AllowedHosts:0"] = _simulator.Address.Host,
    });

    /// <summary>Production's hosts: Meta's Graph API and Twilio's, plus <paramref name="allowedHosts"/>; nothing on this machine otherwise.</summary>
    private async Task<EngineHost> ProductionEngineAsync(params string[] allowedHosts)
    {
        var settings = new Dictionary<string, string?> { ["Channels:GraphBaseUrl"] = "https://graph.facebook.com/" };
        for (var i = 0; i < allowedHosts.Length; i++)
        {
            settings[$"Media:AllowedHosts:{i}"] = allowedHosts[i];
        }

        return await EngineHost.CreateAsync(database, settings);
    }

    private string OnSite(string url) => url.Replace("{port}", _sitePort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static MessageContent Attachment(string url) =>
        new(MessageContentType.Image, null, url) { Media = new MediaReference(null, "image/png", Url: url) };

    private async Task<MessageContent> UploadedImageAsync(string contentType, byte[] bytes)
    {
        var upload = await _simulator.Http.PostAsJsonAsync("simulator/media", new { kind = "image", contentType, base64 = Convert.ToBase64String(bytes) });
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        return new MessageContent(MessageContentType.Image) { Media = new MediaReference(id, contentType) };
    }

    private async Task<InboundMessageReceived> EventAsync(MetaChannel channel)
    {
        var payload = await _db.SingleAsync("SELECT payload::text FROM outbox_messages WHERE tenant_id = $1 AND event_type = 'InboundMessageReceived'",
            r => r.GetString(0), channel.TenantId);
        return JsonSerializer.Deserialize<InboundMessageReceived>(payload, ContractJson.Options)!;
    }

    private static InboundMessageReceived Inbound(MetaChannel channel, MessageContent content) => new()
    {
        TenantId = channel.TenantId, WebhookEventId = Guid.CreateVersion7(), WorkspaceId = channel.WorkspaceId, ChannelId = channel.ChannelId,
        ChannelType = ChannelType.WhatsApp, ExternalContactId = "5511987653333", ChannelMessageId = "in_" + Guid.NewGuid().ToString("N"),
        Content = content, SentAt = DateTimeOffset.UtcNow,
    };

    /// <summary>Stores the message as the consumer does; returns its media row and the media.fetch task created with it.</summary>
    private async Task<(Guid MediaId, Guid TaskId)> ReceiveAsync(MetaChannel channel, InboundMessageReceived evt, EngineHost? engine = null)
    {
        await using (var scope = (engine ?? _engine).Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<InboundMessageHandler>().HandleAsync(evt, CancellationToken.None);
        }
        var mediaId = await _db.SingleAsync("""
            SELECT mm.id FROM message_media mm JOIN messages m ON m.id = mm.message_id WHERE m.channel_message_id = $1
            """, r => r.GetGuid(0), evt.ChannelMessageId);
        var taskId = await _db.SingleAsync("SELECT id FROM tasks WHERE type = 'media.fetch' AND payload->>'mediaId' = $1",
            r => r.GetGuid(0), mediaId.ToString());
        return (mediaId, taskId);
    }

    private async Task RunAsync(EngineHost engine, MetaChannel channel, Guid taskId)
    {
        var payload = await _db.SingleAsync("SELECT payload::text FROM tasks WHERE id = $1", r => r.GetString(0), taskId);
        await using var scope = engine.TenantScope(channel.TenantId);
        var processor = scope.ServiceProvider.GetServices<ITaskProcessor>().Single(p => p.Type == MediaFetchProcessor.TaskType);
        using var document = JsonDocument.Parse(payload);
        Assert.Empty(processor.Validate(document.RootElement));
        await processor.ProcessAsync(new TaskExecution
        {
            TaskId = taskId, TenantId = channel.TenantId, Type = MediaFetchProcessor.TaskType, Attempt = 1, MaxAttempts = 3,
            Payload = document.RootElement, Services = scope.ServiceProvider,
        }, CancellationToken.None);
    }

    private Task<StoredMedia> MediaAsync(Guid id) => _db.SingleAsync(
        "SELECT kind, status, content_type, size_bytes, sha256, error FROM message_media WHERE id = $1",
        r => new StoredMedia(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetInt64(3),
            r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5)), id);

    private sealed record StoredMedia(string Kind, string Status, string? ContentType, long? SizeBytes, string? Sha256, string? Error);
}
