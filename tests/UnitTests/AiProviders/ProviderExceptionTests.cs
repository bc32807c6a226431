using SaasAssistants.MessageProcessor.Ai.Providers;
using Xunit;

namespace SaasAssistants.UnitTests.AiProviders;

public class ProviderExceptionTests
{
    [Theory]
    [InlineData(408, ProviderErrorCodes.Timeout, true)]
    [InlineData(429, ProviderErrorCodes.RateLimited, true)]
    [InlineData(500, ProviderErrorCodes.ServerError, true)]
    [InlineData(502, ProviderErrorCodes.ServerError, true)]
    [InlineData(503, ProviderErrorCodes.ServerError, true)]
    [InlineData(529, ProviderErrorCodes.ServerError, true)] // Anthropic's "overloaded".
    [InlineData(0, ProviderErrorCodes.Unavailable, true)]
    [InlineData(400, ProviderErrorCodes.BadRequest, false)]
    [InlineData(401, ProviderErrorCodes.Unauthorized, false)]
    [InlineData(403, ProviderErrorCodes.Unauthorized, false)]
    [InlineData(404, ProviderErrorCodes.NotFound, false)]
    [InlineData(413, ProviderErrorCodes.BadRequest, false)]
    [InlineData(422, ProviderErrorCodes.BadRequest, false)]
    public void An_http_status_maps_to_a_code_and_whether_a_retry_can_help(int status, string code, bool retryable)
    {
        var failure = ProviderException.FromStatus("openai", status, "detail", null);

        Assert.Equal(code, failure.ErrorCode);
        Assert.Equal(retryable, failure.IsRetryable);
        Assert.Equal("openai", failure.Provider);
    }

    [Fact]
    public void Not_configured_is_never_retryable()
    {
        var failure = ProviderException.NotConfigured("mistral");

        Assert.Equal(ProviderErrorCodes.ProviderNotConfigured, failure.ErrorCode);
        Assert.False(failure.IsRetryable);
        Assert.Contains("mistral", failure.Message);
    }

    [Fact]
    public void As_retryable_keeps_the_code_and_the_original()
    {
        var original = ProviderException.FromStatus("claude", 401, "bad key", null);

        var retryable = original.AsRetryable();

        Assert.True(retryable.IsRetryable);
        Assert.Equal(ProviderErrorCodes.Unauthorized, retryable.ErrorCode);
        Assert.Equal(401, retryable.StatusCode);
        Assert.Same(original, retryable.InnerException);
    }
}
