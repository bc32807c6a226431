using SaasAssistants.Database.Setup;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.WebApp;

/// <summary>
/// One seeded database and one WebApp per test class, with a conversation in the seeded (demo) tenant, one in another
/// tenant that has its own agent, and a suspended tenant with an agent of its own.
/// </summary>
public sealed class WebAppFixture : IAsyncLifetime
{
    public const string OtherAgentEmail = "agent@other.test";
    public const string SuspendedAgentEmail = "agent@suspended.test";
    public const string OtherPassword = "other-agent-password-1";
    /// <summary>Far from UTC, so a time shown in UTC by mistake is caught.</summary>
    public const string OwnTimeZone = "Asia/Tokyo";

    private readonly SeededTestDatabase _database = new();

    public WebAppFactory Factory { get; private set; } = default!;
    public TenantArrangement Arrange { get; private set; } = default!;
    public SeedResult Seed => _database.Seed!;
    public string AppConnectionString => _database.AppConnectionString;
    public string EncryptionKey => _database.EncryptionKey;
    public string OwnerConnectionString => _database.OwnerConnectionString;
    public string RabbitMQConnectionString { get; private set; } = "";

    public (Guid TenantId, Guid WorkspaceId, Guid ChannelId) OwnTenant { get; private set; }
    public ArrangedConversation Own { get; private set; } = default!;
    public ArrangedConversation Other { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        RabbitMQConnectionString = await TestServers.Shared.GetRabbitMQConnectionStringAsync();
        Arrange = new TenantArrangement(_database.OwnerConnectionString);

        OwnTenant = await Arrange.FindSeededAsync(Seed.TenantId);
        await Arrange.SetTimeZoneAsync(Seed.TenantId, OwnTimeZone);
        Own = await Arrange.AddConversationAsync(OwnTenant, "Maria Souza", "Vocês entregam em Campinas?", "Entregamos sim, em até 2 dias úteis.",
            DateTimeOffset.UtcNow.AddMinutes(-5));

        var other = await Arrange.AddTenantAsync("Other Company");
        await Arrange.AddUserAsync(other.TenantId, OtherAgentEmail, OtherPassword);
        Other = await Arrange.AddConversationAsync(other, "Other Tenant Customer", "A secret of the other tenant", "Other tenant's answer",
            DateTimeOffset.UtcNow.AddMinutes(-1));

        var suspended = await Arrange.AddTenantAsync("Suspended Company", status: "suspended");
        await Arrange.AddUserAsync(suspended.TenantId, SuspendedAgentEmail, OtherPassword);

        Factory = new WebAppFactory(_database.AppConnectionString, RabbitMQConnectionString, _database.EncryptionKey);
    }

    public async Task DisposeAsync()
    {
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    /// <summary>A browser signed in as the demo tenant's agent.</summary>
    public async Task<BrowserClient> SignedInAsOwnAgentAsync(string language = "en-US")
    {
        var browser = new BrowserClient(Factory, language);
        await browser.SignInOrFailAsync(Seed.AgentEmail, Seed.AgentPassword);
        return browser;
    }
}
