namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// RabbitMQ 3.10 from the Debian package as a local process (<c>/usr/lib/rabbitmq/bin/rabbitmq-server</c>; the
/// /usr/sbin wrapper switches to the rabbitmq user, which cannot write our folders), every file it uses in the state
/// folder, with the management UI. Its Erlang port mapper (epmd) is a resource of its own, so that it stops with it.
/// </summary>
public sealed class LocalRabbitMQServerResource(string name, string workingDirectory)
    : ExecutableResource(name, "/usr/lib/rabbitmq/bin/rabbitmq-server", workingDirectory), IResourceWithConnectionString
{
    public const string DefaultUser = "guest";
    public const string DefaultPassword = "guest";
    internal const string EndpointName = "tcp";
    internal const string ManagementEndpointName = "management";

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://{DefaultUser}:{DefaultPassword}@{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}
