using System.Net;
using SaasAssistants.AppHost.Hosting.Orchestration;
using SaasAssistants.Testing;
using Xunit;
using Xunit.Abstractions;

namespace SaasAssistants.AppHost.Tests;

/// <summary>The AppHost's own model, started in-process the way end-to-end tests do.</summary>
[Trait("Category", "EndToEnd")]
public sealed class WholeAppHostTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_whole_model_starts_healthy_on_free_ports()
    {
        await using var app = await DistributedApplicationTestingBuilder.StartAsync();
        output.WriteLine($"all resources ready in {app.TimeToReady!.Value.TotalSeconds:0.0}s");

        foreach (var snapshot in app.ResourceNotifications.GetSnapshots())
        {
            Assert.True(snapshot.State is KnownResourceStates.Running or KnownResourceStates.Finished, $"{snapshot.Name} is {snapshot.State}");
        }

        foreach (var service in new[] { "gateway", "message-processor", "webapp", "public-api" })
        {
            using var http = app.CreateHttpClient(service);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        }

        Assert.NotEqual(5101, app.GetEndpoint("gateway").Port);

        var seed = app.GetSeedResult();
        Assert.StartsWith("sa_demo_", seed.ApiKey);
        Assert.Contains("Username=saas_app", app.GetConnectionString("saas"));
    }
}
