using Microsoft.Extensions.Logging;
using SaasAssistants.Database.Setup;

namespace SaasAssistants.AppHost.Hosting.ApplicationModel;

/// <summary>
/// Runs the database setup (migrations, the application role and its grants, the development seed) inside the
/// AppHost, as the owner, then finishes. Projects wait for it with <c>WaitForCompletion</c>.
/// Exit code 0 when it succeeded, 1 when it threw (the exception is in its log).
/// </summary>
public sealed class MigratorResource : Resource, IResourceWithWaitSupport
{
    private readonly AppHostState state;

    public MigratorResource(string name, PostgresDatabaseResource database, AppHostState state)
        : base(name)
    {
        Database = database;
        this.state = state;
        References.Add(database);
        RunsToCompletion = true;
    }

    public override string Type => "Migrator";

    public PostgresDatabaseResource Database { get; }

    public override bool HasHealthCheck => false;

    /// <summary>The development seed (demo tenant, agent, API key, web channel), once the migrator finished.</summary>
    public SeedResult? Result { get; private set; }

    public override Task<ResourceRun> StartAsync(ResourceStartContext context, CancellationToken cancellationToken)
    {
        var options = new DatabaseSetupOptions
        {
            AppRoleName = Database.AppRoleName ?? throw new InvalidOperationException($"Database '{Database.Name}' has no application role: add .WithAppRole(\"saas_app\")."),
            AppRolePassword = Database.AppRolePassword?.Invoke() ?? state.Secrets.AppRolePassword,
            Seed = new SeedOptions
            {
                ApiKey = state.Secrets.ApiKey,
                WebChannelToken = state.Secrets.WebChannelToken,
                EncryptionKey = state.Secrets.EncryptionKey,
            },
        };

        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var completion = Task.Run(
            async () =>
            {
                try
                {
                    Result = await DatabaseSetup.RunAsync(Database.GetOwnerConnectionString(), options, context.Logger, stop.Token).ConfigureAwait(false);
                    context.Logger.LogInformation("Database setup finished");
                    return 0;
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    context.Logger.LogError(ex, "Database setup failed");
                    return 1;
                }
                catch (Exception ex)
                {
                    context.Logger.LogWarning("Database setup cancelled ({Message})", ex.Message);
                    return 130;
                }
            },
            CancellationToken.None);

        return Task.FromResult(new ResourceRun(
            completion,
            async _ =>
            {
                await stop.CancelAsync().ConfigureAwait(false);
                await completion.ConfigureAwait(false);
            },
            stop.Cancel));
    }
}
