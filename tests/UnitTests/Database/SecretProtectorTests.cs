using System.Security.Cryptography;
using SaasAssistants.Database.Secrets;
using Xunit;

namespace SaasAssistants.UnitTests.Database;

public class SecretProtectorTests
{
    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void A_protected_secret_comes_back_unchanged()
    {
        var protector = new SecretProtector(NewKey());

        Assert.Equal("app secret ✓", protector.Unprotect(protector.Protect("app secret ✓")));
    }

    [Fact]
    public void The_same_secret_encrypts_differently_each_time()
    {
        var protector = new SecretProtector(NewKey());

        Assert.NotEqual(protector.Protect("secret"), protector.Protect("secret"));
    }

    [Fact]
    public void Another_key_cannot_read_it()
    {
        var protectedSecret = new SecretProtector(NewKey()).Protect("secret");

        Assert.ThrowsAny<CryptographicException>(() => new SecretProtector(NewKey()).Unprotect(protectedSecret));
    }

    [Fact]
    public void A_tampered_secret_is_refused()
    {
        var protector = new SecretProtector(NewKey());
        var protectedSecret = protector.Protect("secret");
        protectedSecret[^1] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(protectedSecret));
    }

    [Fact]
    public void Garbage_is_refused()
    {
        Assert.ThrowsAny<CryptographicException>(() => new SecretProtector(NewKey()).Unprotect([1, 2, 3]));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAA")] // 3 bytes
    public void A_key_that_is_not_32_bytes_of_base64_is_refused(string key)
    {
        Assert.Throws<InvalidOperationException>(() => new SecretProtector(key));
    }
}
