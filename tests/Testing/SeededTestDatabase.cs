using System.Runtime.Versioning;

namespace SaasAssistants.Testing;

/// <summary>A <see cref="TestDatabase"/> with the development seed (demo tenant, agent, API key, web channel).</summary>
[SupportedOSPlatform("linux")]
public sealed class SeededTestDatabase : TestDatabase
{
    public SeededTestDatabase()
        : base(seed: true)
    {
    }
}
