namespace SaasAssistants.Testing.Servers;

/// <param name="Directory">Holds everything of the node: home (Erlang cookie), mnesia (data), plugins, configuration.</param>
/// <param name="AmqpPort">AMQP listener.</param>
/// <param name="DistributionPort">Erlang distribution port of the node.</param>
/// <param name="EpmdPort">Port of the node's own Erlang port mapper (so nodes never share one, and we own its process).</param>
public sealed record RabbitMQServerOptions(string Directory, int AmqpPort, int DistributionPort, int EpmdPort)
{
    /// <summary>Management UI and HTTP API port; null: the plugin is not enabled.</summary>
    public int? ManagementPort { get; init; }

    /// <summary>Fixed, because the data folder is named after the node.</summary>
    public string NodeName { get; init; } = "rabbit@localhost";
}
