namespace SaasAssistants.Gateway.Webhooks;

/// <summary>Why a webhook was refused: the reason stored on its audit row, and what the sender is told.</summary>
public sealed record WebhookRejection(string Reason, int StatusCode, string Title, IDictionary<string, string[]>? Errors = null)
{
    public static WebhookRejection MalformedJson() => new("malformed_json", StatusCodes.Status400BadRequest, "The body is not valid JSON.");
    public static WebhookRejection InvalidPayload(IDictionary<string, string[]> errors) => new("invalid_payload", StatusCodes.Status400BadRequest, "The payload is invalid.", errors);
    public static WebhookRejection UnknownChannel() => new("unknown_channel", StatusCodes.Status404NotFound, "No channel has this token.");
    public static WebhookRejection WrongChannelType() => new("wrong_channel_type", StatusCodes.Status404NotFound, "No channel of this type has this token.");
    public static WebhookRejection ChannelInactive() => new("channel_inactive", StatusCodes.Status403Forbidden, "This channel is not accepting messages.");
    /// <summary>A browser on a site the widget channel does not allow: refused before anything is written.</summary>
    public static WebhookRejection OriginNotAllowed() => new("origin_not_allowed", StatusCodes.Status403Forbidden, "This site is not allowed to use this widget.");
    public static WebhookRejection InvalidSession() => new("invalid_session", StatusCodes.Status401Unauthorized, "The visitor session is missing, expired or invalid.");
    public static WebhookRejection RateLimited() => new("rate_limited", StatusCodes.Status429TooManyRequests, "Too many messages; try again in a minute.");
    public static WebhookRejection TooLarge() => new("payload_too_large", StatusCodes.Status413PayloadTooLarge, "The body is too large.");

    public static WebhookRejection MissingSignature() => new("missing_signature", StatusCodes.Status401Unauthorized, "The delivery is not signed.");
    public static WebhookRejection InvalidSignature() => new("invalid_signature", StatusCodes.Status403Forbidden, "The signature does not match the body.");
    public static WebhookRejection WrongObject(string expected) => new("wrong_object", StatusCodes.Status400BadRequest, $"The delivery's object is not '{expected}'.");
    /// <summary>The delivery names a phone number or account that is not this channel's: misrouted, never processed.</summary>
    public static WebhookRejection UnknownAccount(string what) => new("unknown_account", StatusCodes.Status422UnprocessableEntity, $"The delivery's {what} is not this channel's.");

    /// <summary>Too many unauthenticated requests from one address: refused without an audit row (that is the point).</summary>
    public static WebhookRejection AnonymousRateLimited() => new("anonymous_rate_limited", StatusCodes.Status429TooManyRequests,
        "Too many unauthenticated requests from this address; try again in a minute.");

    public IResult ToProblem() => Errors is null
        ? TypedResults.Problem(title: Title, statusCode: StatusCode, type: $"https://saasassistants.dev/problems/{Reason}",
            extensions: new Dictionary<string, object?> { ["reason"] = Reason })
        : TypedResults.ValidationProblem(Errors, title: Title, type: $"https://saasassistants.dev/problems/{Reason}",
            extensions: new Dictionary<string, object?> { ["reason"] = Reason });
}
