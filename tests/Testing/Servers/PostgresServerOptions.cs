namespace SaasAssistants.Testing.Servers;

/// <param name="Directory">Holds <c>data/</c> and <c>sockets/</c>; created (and given to the postgres user) if missing.</param>
/// <param name="Port">TCP port on 127.0.0.1.</param>
/// <param name="Password">The superuser's password (set once, at initdb).</param>
public sealed record PostgresServerOptions(string Directory, int Port, string Password)
{
    /// <summary>False for throwaway test servers: no fsync, so writes are faster.</summary>
    public bool Durable { get; init; } = true;
}
