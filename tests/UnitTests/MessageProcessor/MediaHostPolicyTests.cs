using System.Net;
using Microsoft.Extensions.Options;
using SaasAssistants.MessageProcessor.Channels;
using SaasAssistants.MessageProcessor.Media;
using Xunit;

namespace SaasAssistants.UnitTests.MessageProcessor;

/// <summary>
/// media.fetch's host allow-list: Meta's and Twilio's media hosts by default, the configured base URLs and
/// Media:AllowedHosts; a private address only for a host named exactly in configuration. The connect step decides with
/// <see cref="MediaHostPolicy.Refusal"/> on the addresses it resolved, given here directly.
/// </summary>
public sealed class MediaHostPolicyTests
{
    private static readonly IPAddress MetaCdn = IPAddress.Parse("157.240.12.15");

    [Theory]
    [InlineData("https://graph.facebook.com/v23.0/1234")]
    [InlineData("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1&ext=2&hash=x")]
    [InlineData("https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1&signature=x")]
    [InlineData("https://scontent-gru2-1.xx.fbcdn.net/v/t1.15752-9/a.jpg")]
    [InlineData("https://scontent.cdninstagram.com/v/a.jpg")]
    [InlineData("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1")]
    [InlineData("https://mms.twiliocdn.com/AC1/abc")]
    [InlineData("https://LOOKASIDE.FBSBX.COM./x")]
    public void Metas_and_twilios_media_hosts_are_allowed_by_default(string url)
    {
        var policy = Policy();
        var host = MediaHostPolicy.HostOf(new Uri(url));

        Assert.True(policy.IsAllowed(host));
        Assert.Null(policy.Refusal(host, [MetaCdn]));
    }

    [Theory]
    [InlineData("https://evil.example/a.png")]
    [InlineData("https://fbcdn.net.evil.example/a.png")]
    [InlineData("https://evilfbcdn.net/a.png")]
    [InlineData("https://fbcdn.net/a.png")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://localhost:8080/a.png")]
    public void Any_other_host_is_not_allowed(string url)
    {
        var policy = Policy();
        var host = MediaHostPolicy.HostOf(new Uri(url));

        Assert.False(policy.IsAllowed(host));
        Assert.Equal(MediaFetchException.HostNotAllowed, policy.Refusal(host, [MetaCdn])?.ErrorCode);
    }

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("127.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("192.168.1.10")]
    [InlineData("::1")]
    [InlineData("fd00::1")]
    public void An_allowed_media_host_that_resolves_into_a_private_network_is_refused(string address)
    {
        var refusal = Policy("*.corp.example").Refusal("scontent.cdninstagram.com", [MetaCdn, IPAddress.Parse(address)]);
        var configuredPattern = Policy("*.corp.example").Refusal("files.corp.example", [IPAddress.Parse(address)]);

        Assert.Equal((MediaFetchException.AddressNotPublic, false), (refusal?.ErrorCode, refusal?.IsRetryable));
        Assert.Equal(MediaFetchException.AddressNotPublic, configuredPattern?.ErrorCode);
    }

    [Fact]
    public void A_host_named_exactly_in_configuration_and_the_base_urls_hosts_may_be_on_this_machine()
    {
        var policy = Policy("localhost", graphBaseUrl: "http://127.0.0.1:5104/", twilioBaseUrl: "http://twilio-sim:5105/");

        Assert.Null(policy.Refusal("localhost", [IPAddress.Loopback]));
        Assert.Null(policy.Refusal("127.0.0.1", [IPAddress.Loopback]));
        Assert.Null(policy.Refusal("twilio-sim", [IPAddress.Parse("10.1.2.3")]));
        // Trust is for those names only: another loopback spelling is still refused.
        Assert.Equal(MediaFetchException.AddressNotPublic, policy.Refusal("::1", [IPAddress.IPv6Loopback])?.ErrorCode);
    }

    [Fact]
    public void A_pattern_never_matches_an_address()
    {
        var policy = Policy("*.0.0.1");

        Assert.False(policy.IsAllowed("127.0.0.1"));
    }

    private static MediaHostPolicy Policy(string? allowedHost = null, string graphBaseUrl = "https://graph.facebook.com/",
        string twilioBaseUrl = "https://api.twilio.com/") =>
        new(Options.Create(new MediaOptions { AllowedHosts = allowedHost is null ? [] : [allowedHost] }),
            Options.Create(new ChannelsOptions { GraphBaseUrl = new Uri(graphBaseUrl), TwilioBaseUrl = new Uri(twilioBaseUrl) }));
}
