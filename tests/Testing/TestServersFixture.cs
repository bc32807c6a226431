using System.Runtime.Versioning;
using Xunit;

namespace SaasAssistants.Testing;

/// <summary>
/// xunit fixture that makes sure PostgreSQL and Redis are up before a collection's tests run (RabbitMQ starts on first
/// request). The servers are process-wide and stop at process exit, not when the fixture is disposed.
/// xunit only finds collection definitions in the test assembly itself, so declare one there:
/// <code>[CollectionDefinition(TestServersFixture.Collection)] public sealed class ServersCollection : ICollectionFixture&lt;TestServersFixture&gt;;</code>
/// and put <c>[Collection(TestServersFixture.Collection)]</c> on the test classes.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class TestServersFixture : IAsyncLifetime
{
    public const string Collection = "Test servers";

    public TestServers Servers => TestServers.Shared;

    public Task InitializeAsync() => Task.WhenAll(Servers.GetPostgresAsync(), Servers.GetRedisAsync());

    public Task DisposeAsync() => Task.CompletedTask;
}
