using SaasAssistants.MessageProcessor.Ai.Providers;
using Xunit;

namespace SaasAssistants.UnitTests.AiProviders;

public class RetryAfterHeaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, "7", 7_000)]
    [InlineData("1500", "7", 1_500)]
    [InlineData(null, "0.5", 500)]
    [InlineData(null, "Sun, 22 Nov 2026 12:00:30 GMT", 30_000)]
    [InlineData(null, "Sun, 22 Nov 2026 11:59:00 GMT", 0)]
    public void Reads_milliseconds_seconds_or_a_date(string? retryAfterMs, string? retryAfter, int expectedMs)
        => Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RetryAfterHeader.Parse(retryAfterMs, retryAfter, Now));

    [Theory]
    [InlineData(null, null)]
    [InlineData(null, "soon")]
    [InlineData("-5", "-1")]
    public void Anything_else_is_no_hint(string? retryAfterMs, string? retryAfter)
        => Assert.Null(RetryAfterHeader.Parse(retryAfterMs, retryAfter, Now));
}
