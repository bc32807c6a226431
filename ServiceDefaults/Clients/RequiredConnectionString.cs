using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SaasAssistants.ServiceDefaults.Clients;

/// <summary>
/// Connection strings are read when the client is first built (so test hosts can still override configuration),
/// but a missing one fails the host at startup with a message that says what to set.
/// </summary>
internal static class RequiredConnectionString
{
    public static string Get(IConfiguration configuration, string connectionName) =>
        configuration.GetConnectionString(connectionName) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(MissingMessage(connectionName));

    public static void ValidateOnStart(IServiceCollection services, string connectionName) =>
        services.AddOptions<ConnectionStringPresence>(connectionName)
            .Configure<IConfiguration>((presence, configuration) =>
                presence.IsSet = !string.IsNullOrWhiteSpace(configuration.GetConnectionString(connectionName)))
            .Validate(presence => presence.IsSet, MissingMessage(connectionName))
            .ValidateOnStart();

    private static string MissingMessage(string connectionName) =>
        $"Connection string '{connectionName}' is missing. Set ConnectionStrings:{connectionName} in configuration " +
        $"(environment variable ConnectionStrings__{connectionName}); the AppHost sets it for every referenced resource.";

    internal sealed class ConnectionStringPresence
    {
        public bool IsSet { get; set; }
    }
}
