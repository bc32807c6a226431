namespace SaasAssistants.Testing.Servers;

/// <param name="Directory">Data folder (the append-only file lives here).</param>
/// <param name="Port">TCP port on 127.0.0.1.</param>
public sealed record RedisServerOptions(string Directory, int Port)
{
    /// <summary>False for throwaway test servers: no append-only file.</summary>
    public bool Durable { get; init; } = true;
}
