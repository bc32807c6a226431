using System.Net;
using Xunit;

namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>
/// The signing keys live in the database: every instance signs with and accepts the same keys, and rotation keeps
/// earlier tokens valid. Each instance is a separate PublicApi host on the fixture's database; key ages are arranged
/// by moving the stored times, not by waiting.
/// </summary>
public sealed class SigningKeyRotationTests(PublicApiFixture api) : IClassFixture<PublicApiFixture>
{
    [Fact]
    public async Task Instances_share_keys_and_a_rotated_key_keeps_verifying_its_tokens()
    {
        await using var first = api.NewInstance();
        using var firstClient = first.CreateClient();
        var oldToken = await firstClient.TokenAsync(api.TenantA.ApiKey);
        var oldKid = OAuthHttp.Header(oldToken).GetProperty("kid").GetString();

        await using (var second = api.NewInstance())
        {
            using var secondClient = second.CreateClient().WithBearer(oldToken);
            Assert.Equal(HttpStatusCode.OK, (await secondClient.GetAsync("/api/v1/tasks")).StatusCode);
            Assert.Equal(oldKid, OAuthHttp.Header(await second.CreateClient().TokenAsync(api.TenantA.ApiKey)).GetProperty("kid").GetString());
        }
        Assert.Equal(1L, await api.Arrange.ScalarAsync<long>("SELECT count(*) FROM api_signing_keys"));

        // The key is now 30 days old: the next instance to load the keys creates its successor, which waits before it signs.
        await api.Arrange.ExecuteAsync("UPDATE api_signing_keys SET activates_at = activates_at - interval '30 days', created_at = created_at - interval '30 days'");
        await using (var third = api.NewInstance())
        {
            var stillOld = await third.CreateClient().TokenAsync(api.TenantA.ApiKey);
            Assert.Equal(oldKid, OAuthHttp.Header(stillOld).GetProperty("kid").GetString());
        }
        Assert.Equal(2L, await api.Arrange.ScalarAsync<long>("SELECT count(*) FROM api_signing_keys"));

        // Its activation time has come: new tokens are signed with it, and the token of the old key is still accepted.
        await api.Arrange.ExecuteAsync("UPDATE api_signing_keys SET activates_at = now() - interval '1 second' WHERE activates_at > now()");
        await using var fourth = api.NewInstance();
        var newToken = await fourth.CreateClient().TokenAsync(api.TenantA.ApiKey);
        Assert.NotEqual(oldKid, OAuthHttp.Header(newToken).GetProperty("kid").GetString());
        using var oldTokenClient = fourth.CreateClient().WithBearer(oldToken);
        using var newTokenClient = first.CreateClient().WithBearer(newToken);
        Assert.Equal(HttpStatusCode.OK, (await oldTokenClient.GetAsync("/api/v1/tasks")).StatusCode);
        // The first instance has never seen the new key: an unknown kid makes it read the keys again.
        var firstTry = await newTokenClient.GetAsync("/api/v1/tasks");
        var secondTry = firstTry.StatusCode == HttpStatusCode.OK ? firstTry : await newTokenClient.GetAsync("/api/v1/tasks");
        Assert.Equal(HttpStatusCode.OK, secondTry.StatusCode);
        Assert.Equal(2L, await api.Arrange.ScalarAsync<long>("SELECT count(*) FROM api_signing_keys"));
    }
}
