using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using SaasAssistants.AppHost;
using SaasAssistants.AppHost.Diagnostics;
using SaasAssistants.AppHost.Services;
using SaasAssistants.AppHost.State;

// dotnet run --project AppHost [-- options]   (./run.sh passes its arguments on)
//   --state-dir DIR          state folder (default: .apphost/ at the repository root); --reset deletes it first
//   --dashboard-port N       Aspire dashboard on N (default 18888), its OTLP endpoint on N+1, resource service on N+2
//   --Ports:NAME=N           any port by resource name: webapp, gateway, public-api, message-processor, postgres, redis,
//                            messaging, messaging-management, messaging-dist, messaging-epmd
//   --ConnectionStrings:postgres="Host=..;Username=..;Password=.."   an existing server instead of a local one (owner's
//                            credentials; likewise ConnectionStrings:redis, ConnectionStrings:messaging); no demo seed then
//   --Seed:ApiKey=..  --Seed:WebChannelToken=..   fixed demo credentials instead of the generated ones
//   --Seed:WhatsApp:ChannelKey|PhoneNumberId|VerifyToken|AppSecret, --Seed:Instagram:ChannelKey|AccountId|VerifyToken|AppSecret
//                            the demo channels' settings (the channel simulator uses the same), generated when absent
//   --AppHost:EchoLogs=true  every resource's console output here too (otherwise: the dashboard)
//   --AppHost:Timeline=true  every resource state and health change here, with seconds since start
var builder = DistributedApplication.CreateBuilder(CommandLine.Normalize(args));
AppHostState state;
try
{
    state = AppHostState.Load(builder.Configuration, Path.Combine(builder.AppHostDirectory, "..", ".apphost"));
}
catch (StateFolderInUseException inUse)
{
    // Nothing is broken, this one was only started where another runs: say so, without a stack trace.
    Console.Error.WriteLine(inUse.Message);
    return 1;
}

int Port(string name, int defaultPort) => builder.Configuration.GetValue<int?>($"Ports:{name}") ?? defaultPort;

var postgres = builder.AddPostgres("postgres", Port("postgres", 55432), state);
var database = postgres.AddDatabase("saas", appRole: "saas_app", state.Secrets.AppRolePassword);
var redis = builder.AddRedis("redis", Port("redis", 56379), state);
var messaging = builder.AddRabbitMQ("messaging", Port("messaging", 55672), Port("messaging-management", 55673),
    Port("messaging-dist", 55674), Port("messaging-epmd", 55675), state);

// The demo seed (a known sign-in) and Development only on a server of our own, never on one we were pointed at.
var development = builder.Configuration.GetConnectionString("postgres") is not { Length: > 0 };
var encryptionKey = builder.AddSecretParameter("encryption-key", state.Secrets.EncryptionKey);

var migrator = builder.AddProject<Projects.Migrator>("migrator")
    .WithBuiltExecutable()
    .WithEnvironment("ConnectionStrings__saas", database.Resource.OwnerConnectionStringExpression)
    .WithEnvironment("Database__AppRole", database.Resource.AppRole)
    .WithEnvironment("Database__AppRolePassword", database.Resource.AppRolePasswordParameter)
    .WaitFor(postgres);
if (development)
{
    migrator
        .WithEnvironment("Seed__Enabled", "true")
        .WithEnvironment("Seed__ApiKey", state.Secrets.ApiKey)
        .WithEnvironment("Seed__WebChannelToken", state.Secrets.WebChannelToken)
        .WithEnvironment("Secrets__EncryptionKey", encryptionKey);
    WithDemoChannel(migrator, "Seed__WhatsApp", state.Secrets.WhatsApp, "PhoneNumberId");
    WithDemoChannel(migrator, "Seed__Instagram", state.Secrets.Instagram, "AccountId");
}

IResourceBuilder<ProjectResource> AddService<TProject>(string name, int port)
    where TProject : IProjectMetadata, new() =>
    builder.AddProject<TProject>(name, launchProfileName: null)
        .WithBuiltExecutable()
        .WithHttpEndpoint(port: port, targetPort: port, isProxied: false)
        .WithHealthEndpoint("/health")
        .WithEnvironment("ASPNETCORE_ENVIRONMENT", development ? "Development" : "Production")
        // The key for channel secrets at rest: every service reads or writes them.
        .WithEnvironment("Secrets__EncryptionKey", encryptionKey)
        .WithReference(database)
        // No WaitFor(messaging): the services connect to RabbitMQ in the background (EventBus's RabbitMQConnection) and
        // report unhealthy until they have, so their own start-up overlaps the broker's, the longest on the path.
        .WithReference(messaging)
        .WaitForCompletion(migrator);

var gateway = AddService<Projects.Gateway>("gateway", Port("gateway", 5101))
    // Per-tenant rate limits.
    .WithReference(redis).WaitFor(redis);
if (development)
{
    // The gateway renders /demo for the demo web channel.
    gateway.WithEnvironment("Seed__WebChannelToken", state.Secrets.WebChannelToken);
}

var messageProcessor = AddService<Projects.MessageProcessor>("message-processor", Port("message-processor", 5103))
    // The knowledge search cache used while replying.
    .WithReference(redis).WaitFor(redis)
    // X-Admin-Token of POST /admin/dead-letters/replay; the start-up summary says where to find it.
    .WithEnvironment("Admin__Token", builder.AddSecretParameter("admin-token", state.Secrets.AdminToken));
AddService<Projects.PublicApi>("public-api", Port("public-api", 5102))
    // The knowledge search cache (GET /api/v1/knowledge-bases/{id}/search).
    .WithReference(redis).WaitFor(redis);
AddService<Projects.WebApp>("webapp", Port("webapp", 5100))
    // The channels page shows the Gateway's callback URLs and the widget's snippet.
    .WithEnvironment("Gateway__PublicUrl", gateway.GetEndpoint("http"));

if (development)
{
    // Plays Meta for the demo WhatsApp and Instagram channels: a page to write as a customer (signed webhooks to the
    // gateway) and the Graph API our sends go to, which answers with delivery statuses. Without it, sends go to Meta.
    var simulator = builder.AddProject<Projects.ChannelSimulator>("channel-simulator", launchProfileName: null)
        .WithBuiltExecutable()
        .WithHttpEndpoint(port: Port("channel-simulator", 5104), targetPort: Port("channel-simulator", 5104), isProxied: false)
        .WithHealthEndpoint("/health")
        .WithEnvironment("Simulator__GatewayUrl", gateway.GetEndpoint("http"))
        .WaitFor(gateway);
    WithDemoChannel(simulator, "Simulator__WhatsApp", state.Secrets.WhatsApp, "AccountId");
    WithDemoChannel(simulator, "Simulator__Instagram", state.Secrets.Instagram, "AccountId");
    messageProcessor.WithEnvironment("Channels__GraphBaseUrl", simulator.GetEndpoint("http"));
    // media.fetch downloads only from allowed hosts; the simulator serves customers' files (on localhost) in Meta's place.
    messageProcessor.WithEnvironment("Media__AllowedHosts__0", simulator.GetEndpoint("http").Property(EndpointProperty.Host));
}

builder.AddConsoleEcho();
builder.AddStartupTimeline();
builder.AddFailedExitReport();
builder.AddDemoSummary(state, seeded: development);

builder.Build().Run();
return 0;

static void WithDemoChannel<T>(IResourceBuilder<T> resource, string prefix, DemoChannelSecrets channel, string accountIdName)
    where T : IResourceWithEnvironment
{
    resource
        .WithEnvironment($"{prefix}__ChannelKey", channel.ChannelKey)
        .WithEnvironment($"{prefix}__{accountIdName}", channel.AccountId)
        .WithEnvironment($"{prefix}__VerifyToken", channel.VerifyToken)
        .WithEnvironment($"{prefix}__AppSecret", channel.AppSecret)
        .WithEnvironment($"{prefix}__AccessToken", channel.AccessToken);
}
