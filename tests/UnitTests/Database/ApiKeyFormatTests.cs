using System.Security.Cryptography;
using System.Text;
using SaasAssistants.Database.ApiKeys;
using Xunit;

namespace SaasAssistants.UnitTests.Database;

public class ApiKeyFormatTests
{
    [Fact]
    public void A_generated_key_has_a_hex_prefix_and_a_url_safe_secret()
    {
        var key = ApiKeyFormat.Generate();

        Assert.Matches("^sa_[0-9a-f]{8}_[A-Za-z0-9_-]{32}$", key);
        Assert.True(ApiKeyFormat.TryGetPrefix(key, out var prefix));
        Assert.Equal(key.Substring(3, 8), prefix);
    }

    [Fact]
    public void Generated_keys_differ()
    {
        var keys = Enumerable.Range(0, 100).Select(_ => ApiKeyFormat.Generate()).ToHashSet();

        Assert.Equal(100, keys.Count);
    }

    [Theory]
    [InlineData("sa_abc12345_secret", "abc12345")]
    [InlineData("sa_abc12345_se_cr_et", "abc12345")] // url-safe secrets may contain underscores
    [InlineData("sa_p_-", "p")]
    public void The_prefix_is_the_text_between_the_first_and_second_underscore(string key, string expected)
    {
        Assert.True(ApiKeyFormat.TryGetPrefix(key, out var prefix));
        Assert.Equal(expected, prefix);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sa_")]
    [InlineData("sa__secret")]
    [InlineData("sa_abc12345")]
    [InlineData("sa_abc12345_")]
    [InlineData("pk_abc12345_secret")]
    [InlineData("SA_abc12345_secret")]
    public void A_malformed_key_has_no_prefix(string? key)
    {
        Assert.False(ApiKeyFormat.TryGetPrefix(key, out var prefix));
        Assert.Equal(string.Empty, prefix);
    }

    [Fact]
    public void The_hash_is_sha256_of_the_utf8_key()
    {
        const string key = "sa_abc12345_secret";

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(key)), ApiKeyFormat.Hash(key));
    }

    [Fact]
    public void Only_the_same_key_matches_its_hash()
    {
        var key = ApiKeyFormat.Generate();
        var stored = ApiKeyFormat.Hash(key);

        Assert.True(ApiKeyFormat.Matches(key, stored));
        Assert.False(ApiKeyFormat.Matches(key + "x", stored));
        Assert.False(ApiKeyFormat.Matches(ApiKeyFormat.Generate(), stored));
        Assert.False(ApiKeyFormat.Matches(key, stored[..16]));
    }
}
