using SaasAssistants.Database.Setup;
using SaasAssistants.IntegrationTests.Gateway;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp.Management;

/// <summary>
/// One seeded database and one WebApp per test class for the management pages: the demo tenant's admin (the seeded
/// user), an agent of the same tenant (who must be refused), and another tenant with a channel and a user of its own.
/// The Gateway's public URL is configured as the AppHost configures it, so the pages' callback URLs can be checked.
/// </summary>
public sealed class ManagementFixture : IAsyncLifetime
{
    public const string GatewayUrl = "https://gateway.example.test";
    public const string AgentPassword = "plain-agent-password-1";

    private readonly SeededTestDatabase _database = new();
    private GatewayFactory? _gateway;

    public WebAppFactory Factory { get; private set; } = default!;
    public TenantArrangement Arrange { get; private set; } = default!;
    public CrmArrangement Rows { get; private set; } = default!;
    public SeedResult Seed => _database.Seed!;
    public TestDatabase Database => _database;
    public string EncryptionKey => _database.EncryptionKey;
    public string OwnerConnectionString => _database.OwnerConnectionString;
    public string AppConnectionString => _database.AppConnectionString;
    public string RabbitMQConnectionString { get; private set; } = "";
    public string AgentEmail { get; } = $"plain-agent-{Guid.NewGuid():N}@demo.test";
    public (Guid TenantId, Guid WorkspaceId, Guid ChannelId) Other { get; private set; }
    public string OtherUserEmail { get; } = $"someone-{Guid.NewGuid():N}@other.test";

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        RabbitMQConnectionString = await TestServers.Shared.GetRabbitMQConnectionStringAsync();
        Arrange = new TenantArrangement(_database.OwnerConnectionString);
        Rows = new CrmArrangement(_database.OwnerConnectionString);
        await Arrange.AddUserAsync(Seed.TenantId, AgentEmail, AgentPassword, "Plain Agent");
        Other = await Arrange.AddTenantAsync("Other Company");
        await Arrange.AddUserAsync(Other.TenantId, OtherUserEmail, AgentPassword, "Other User");
        Factory = new WebAppFactory(_database.AppConnectionString, RabbitMQConnectionString, _database.EncryptionKey,
            new Dictionary<string, string> { ["Gateway:PublicUrl"] = GatewayUrl });
    }

    /// <summary>The real Gateway on the same database, to prove that what the pages store is what the Gateway reads.</summary>
    public async Task<HttpClient> GatewayAsync()
    {
        _gateway ??= await GatewayFactory.CreateAsync(_database);
        return _gateway.CreateClient();
    }

    public async Task<BrowserClient> SignedInAsAdminAsync(string language = "en-US")
    {
        var browser = new BrowserClient(Factory, language);
        await browser.SignInOrFailAsync(Seed.AgentEmail, Seed.AgentPassword);
        return browser;
    }

    public async Task<BrowserClient> SignedInAsync(string email, string password)
    {
        var browser = new BrowserClient(Factory);
        await browser.SignInOrFailAsync(email, password);
        return browser;
    }

    public Task<BrowserClient> SignedInAsAgentAsync() => SignedInAsync(AgentEmail, AgentPassword);

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }
        await _database.DisposeAsync();
    }
}
