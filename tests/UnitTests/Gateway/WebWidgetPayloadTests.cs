using SaasAssistants.Gateway.Webhooks.Web;
using Xunit;

namespace SaasAssistants.UnitTests.Gateway;

public class WebWidgetPayloadTests
{
    [Fact]
    public void A_complete_message_is_valid()
        => Assert.Empty(new WebWidgetPayload("ws_1", "m-1", "Hello").Validate());

    [Theory]
    [InlineData(null, "m-1", "Hello", "sessionId")]
    [InlineData("ws_1", null, "Hello", "messageId")]
    [InlineData("ws_1", "m-1", null, "text")]
    [InlineData("ws_1", "m-1", "   ", "text")]
    [InlineData("", "m-1", "Hello", "sessionId")]
    public void A_missing_field_is_named_in_the_errors(string? sessionId, string? messageId, string? text, string field)
    {
        var errors = new WebWidgetPayload(sessionId, messageId, text).Validate();
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void Oversized_fields_are_refused()
    {
        var longId = new string('x', WebWidgetPayload.MaxIdLength + 1);
        var longText = new string('x', WebWidgetPayload.MaxTextLength + 1);
        var errors = new WebWidgetPayload(longId, longId, longText).Validate();
        Assert.Equal(["messageId", "sessionId", "text"], errors.Keys.Order());
    }

    [Fact]
    public void Text_at_the_limit_is_accepted()
        => Assert.Empty(new WebWidgetPayload("ws_1", "m-1", new string('x', WebWidgetPayload.MaxTextLength)).Validate());
}
