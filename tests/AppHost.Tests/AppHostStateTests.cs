using Microsoft.Extensions.Configuration;
using SaasAssistants.AppHost.Hosting;
using SaasAssistants.AppHost.Tests.Support;
using Xunit;

namespace SaasAssistants.AppHost.Tests;

public sealed class AppHostStateTests : IDisposable
{
    private readonly TestFolder folder = new();

    [Fact]
    public void Secrets_are_generated_once_and_kept()
    {
        var first = new AppHostState(folder["state"], new ConfigurationBuilder().Build()).Secrets;
        var second = new AppHostState(folder["state"], new ConfigurationBuilder().Build()).Secrets;

        Assert.Equal(first, second);
        Assert.Equal(32, Convert.FromBase64String(first.EncryptionKey).Length);
        Assert.Matches("^sa_demo_[A-Za-z0-9_-]{32}$", first.ApiKey);
        Assert.Matches("^wc_[A-Za-z0-9_-]{24}$", first.WebChannelToken);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder["state/secrets.json"]));
    }

    [Fact]
    public void Seed_settings_in_configuration_win_over_the_file_without_replacing_it()
    {
        var persisted = new AppHostState(folder["state"], new ConfigurationBuilder().Build()).Secrets;
        var overrides = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Seed:ApiKey"] = "sa_fixed_key-for-a-demo",
            ["Seed:WebChannelToken"] = "wc_fixed",
        }).Build();

        var secrets = new AppHostState(folder["state"], overrides).Secrets;

        Assert.Equal("sa_fixed_key-for-a-demo", secrets.ApiKey);
        Assert.Equal("wc_fixed", secrets.WebChannelToken);
        Assert.Equal(persisted.AppRolePassword, secrets.AppRolePassword);
        Assert.Equal(persisted.ApiKey, new AppHostState(folder["state"], new ConfigurationBuilder().Build()).Secrets.ApiKey);
    }

    [Fact]
    public void Reset_deletes_the_state_folder_before_first_use()
    {
        var before = new AppHostState(folder["state"], new ConfigurationBuilder().Build()).Secrets;

        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = ["--state-dir", folder["state"], "--reset"],
            ReadAppSettings = false,
        });

        Assert.Equal(folder["state"], builder.State.Directory);
        Assert.NotEqual(before.ApiKey, builder.State.Secrets.ApiKey);
    }

    public void Dispose() => folder.Dispose();
}
