namespace SaasAssistants.Gateway.Webhooks.Web;

/// <summary>The body the widget posts for each message a visitor sends.</summary>
public sealed record WebWidgetPayload(string? SessionId, string? MessageId, string? Text)
{
    public const int MaxTextLength = 4000;
    public const int MaxIdLength = 100;

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(SessionId))
        {
            errors["sessionId"] = ["The sessionId is required."];
        }
        else if (SessionId.Length > MaxIdLength)
        {
            errors["sessionId"] = [$"The sessionId is longer than {MaxIdLength} characters."];
        }

        if (string.IsNullOrWhiteSpace(MessageId))
        {
            errors["messageId"] = ["The messageId is required."];
        }
        else if (MessageId.Length > MaxIdLength)
        {
            errors["messageId"] = [$"The messageId is longer than {MaxIdLength} characters."];
        }

        if (string.IsNullOrWhiteSpace(Text))
        {
            errors["text"] = ["The text is required."];
        }
        else if (Text.Length > MaxTextLength)
        {
            errors["text"] = [$"The text is longer than {MaxTextLength} characters."];
        }

        return errors;
    }
}
