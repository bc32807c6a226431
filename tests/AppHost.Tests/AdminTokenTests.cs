using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using SaasAssistants.Testing;
using Xunit;

namespace SaasAssistants.AppHost.Tests;

/// <summary>
/// The dead-letter admin action is usable under ./run.sh: the message-processor gets an Admin:Token, the one kept in
/// the state folder's secrets.json (the place the start-up summary names). Only the model is built: nothing starts.
/// </summary>
public sealed class AdminTokenTests : IDisposable
{
    private readonly AppHostArguments _arguments = AppHostArguments.InNewStateDirectory();

    [Fact]
    public async Task The_message_processor_gets_the_admin_token_kept_in_secrets_json()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(_arguments.ToArgs(), timeout.Token);
        var processor = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "message-processor");

        var environment = await processor.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Run);

        using var secrets = JsonDocument.Parse(File.ReadAllText(Path.Combine(_arguments.StateDirectory, "secrets.json")));
        var kept = secrets.RootElement.GetProperty("AdminToken").GetString();
        Assert.False(string.IsNullOrWhiteSpace(kept));
        Assert.True(kept!.Length >= 32, "the token is long enough not to be guessed");
        Assert.Equal(kept, environment["Admin__Token"]);
    }

    public void Dispose() => _arguments.DeleteStateDirectory();
}
