using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>
/// One migrated database and one PublicApi per test class: tenant A with three conversations (minutes apart), tenant B
/// with one, a suspended tenant, and a revoked key of tenant A.
/// </summary>
public sealed class PublicApiFixture : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public PublicApiFactory Factory { get; private set; } = default!;
    public ApiArrangement Arrange { get; private set; } = default!;

    /// <summary>The shared test Redis (host:port), where the API counts its rate limits.</summary>
    public string Redis { get; private set; } = "";

    public ApiTenant TenantA { get; private set; } = default!;
    public ApiTenant TenantB { get; private set; } = default!;
    public ApiTenant Suspended { get; private set; } = default!;
    public string RevokedKeyOfA { get; private set; } = "";

    /// <summary>Tenant A's conversations, most recent activity first (the order the API must return).</summary>
    public IReadOnlyList<ApiConversation> ConversationsOfA { get; private set; } = [];
    public ApiConversation ConversationOfB { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        Arrange = new ApiArrangement(_database.OwnerConnectionString);
        var now = DateTimeOffset.UtcNow;

        TenantA = await Arrange.AddTenantAsync("Tenant A");
        // Inserted oldest activity in the middle, so the order cannot come from insertion order.
        var middle = await Arrange.AddConversationAsync(TenantA, "Bruno", now.AddMinutes(-20));
        var newest = await Arrange.AddConversationAsync(TenantA, "Carla", now.AddMinutes(-5));
        var oldest = await Arrange.AddConversationAsync(TenantA, "Ana", now.AddMinutes(-60));
        ConversationsOfA = [newest, middle, oldest];
        (RevokedKeyOfA, _) = await Arrange.AddApiKeyAsync(TenantA.TenantId, revoked: true);

        TenantB = await Arrange.AddTenantAsync("Tenant B");
        // The most recent of all: a leak across tenants would show up first in A's list.
        ConversationOfB = await Arrange.AddConversationAsync(TenantB, "Secret customer of B", now.AddMinutes(-1));

        Suspended = await Arrange.AddTenantAsync("Suspended tenant", status: "suspended");
        await Arrange.AddConversationAsync(Suspended, "Customer of a suspended tenant", now.AddMinutes(-2));

        Redis = await TestServers.Shared.GetRedisConnectionStringAsync();
        Factory = new PublicApiFactory(_database.AppConnectionString, new Dictionary<string, string?> { ["ConnectionStrings:redis"] = Redis });
    }

    public async Task DisposeAsync()
    {
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    /// <summary>Another PublicApi host on the same database (dispose it): what a second instance behind a load balancer sees.</summary>
    public PublicApiFactory NewInstance(IReadOnlyDictionary<string, string?>? settings = null)
        => new(_database.AppConnectionString, new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["ConnectionStrings:redis"] = settings?.GetValueOrDefault("ConnectionStrings:redis") ?? Redis,
        });

    public HttpClient Client(string? apiKey = null)
    {
        var client = Factory.CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }
}
