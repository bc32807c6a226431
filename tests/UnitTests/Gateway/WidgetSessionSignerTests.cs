using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SaasAssistants.Database.Secrets;
using SaasAssistants.Gateway.Channels;
using SaasAssistants.Gateway.Widget;
using SaasAssistants.UnitTests.Support;
using Xunit;

namespace SaasAssistants.UnitTests.Gateway;

public class WidgetSessionSignerTests
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
    private readonly SecretProtector _protector = new(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
    private readonly WidgetSessionSigner _signer;
    private readonly ResolvedChannel _channel;

    public WidgetSessionSignerTests()
    {
        _signer = new WidgetSessionSigner(_protector, Options.Create(new WidgetOptions { SessionLifetime = TimeSpan.FromHours(1) }), _time);
        _channel = Channel("channel secret");
    }

    private ResolvedChannel Channel(string secret) => new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), null, "web",
        ChannelActive: true, TenantActive: true, _protector.Protect(secret), AllowedOrigins: []);

    [Fact]
    public void An_issued_session_verifies()
    {
        var session = _signer.Issue(_channel);
        Assert.StartsWith("ws_", session.SessionId);
        Assert.True(_signer.Verify(_channel, session.SessionId, session.SessionToken));
    }

    [Fact]
    public void The_token_is_bound_to_its_session_id()
    {
        var session = _signer.Issue(_channel);
        var other = _signer.Issue(_channel);
        Assert.False(_signer.Verify(_channel, other.SessionId, session.SessionToken));
    }

    [Fact]
    public void The_token_is_bound_to_its_channel()
    {
        var session = _signer.Issue(_channel);
        var sameSecretOtherChannel = _channel with { ChannelId = Guid.NewGuid() };
        Assert.False(_signer.Verify(sameSecretOtherChannel, session.SessionId, session.SessionToken));
    }

    [Fact]
    public void Rotating_the_channel_secret_ends_its_sessions()
    {
        var session = _signer.Issue(_channel);
        var rotated = _channel with { SecretEncrypted = _protector.Protect("new secret") };
        Assert.False(_signer.Verify(rotated, session.SessionId, session.SessionToken));
    }

    [Fact]
    public void An_expired_session_is_refused()
    {
        var session = _signer.Issue(_channel);
        _time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.False(_signer.Verify(_channel, session.SessionId, session.SessionToken));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-dot")]
    [InlineData("!!!.???")]
    [InlineData(".")]
    public void Garbage_is_refused_without_throwing(string? token)
        => Assert.False(_signer.Verify(_channel, "ws_x", token));

    [Fact]
    public void A_tampered_signature_is_refused()
    {
        var session = _signer.Issue(_channel);
        var last = session.SessionToken[^1];
        var tampered = session.SessionToken[..^1] + (last == 'A' ? 'B' : 'A');
        Assert.False(_signer.Verify(_channel, session.SessionId, tampered));
    }
}
