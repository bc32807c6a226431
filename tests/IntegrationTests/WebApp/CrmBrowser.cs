using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using SaasAssistants.Database;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp;

/// <summary>
/// The WebApp on a real Kestrel port, Debian's Chromium driven by Playwright (never `playwright install`), and an outbox
/// relay as the Gateway and MessageProcessor run it, so what the WebApp writes comes back to the pages live.
/// Screenshots go to the test project's TestResults/screenshots.
/// </summary>
public sealed class CrmBrowser : IAsyncLifetime
{
    private readonly WebAppFixture _app = new();
    private IPlaywright? _playwright;
    private IHost? _relay;
    private WebAppFactory? _server;

    public WebAppFixture App => _app;
    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    public static string ScreenshotFolder { get; } = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "TestResults", "screenshots"));

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        _server = new WebAppFactory(_app.AppConnectionString, _app.RabbitMQConnectionString, _app.EncryptionKey);
        // An explicit listener, not UseKestrel(0): with a port, WebApplicationFactory rewrites the server's addresses while a
        // minimal app's Kestrel may already be binding them, and loses that race now and then (dotnet/aspnetcore#67714).
        _server.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        _server.StartServer();
        BaseUrl = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var relay = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        relay.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:saas"] = _app.AppConnectionString,
            ["ConnectionStrings:messaging"] = _app.RabbitMQConnectionString,
            ["Secrets:EncryptionKey"] = _app.EncryptionKey,
            ["Logging:Directory"] = Path.Combine(Path.GetTempPath(), "saas-webapp-tests", "relay-logs"),
        });
        relay.AddSaasDatabase();
        relay.AddEventBus("messaging");
        relay.AddOutboxRelay();
        _relay = relay.Build();
        await _relay.StartAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>A new browser context (its own cookies) signed in as the demo tenant's agent.</summary>
    public async Task<IPage> SignedInPageAsync(string locale = "en-US")
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = BaseUrl, Locale = locale, ViewportSize = new() { Width = 1280, Height = 860 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.FillAsync("#email", _app.Seed.AgentEmail);
        await page.FillAsync("#password", _app.Seed.AgentPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/conversations");
        return page;
    }

    public static Task ScreenshotAsync(IPage page, string name)
        => page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_relay is not null)
        {
            await _relay.StopAsync();
            _relay.Dispose();
        }
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        await _app.DisposeAsync();
    }
}
