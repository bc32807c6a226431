using Microsoft.Extensions.Localization;
using SaasAssistants.Contracts.Messages;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.WebApp.Conversations;

/// <summary>How a message reads on the page; conversation.js mirrors these rules for messages that arrive live.</summary>
public static class MessageDisplay
{
    public static string Text(MessageContent? content, IStringLocalizer localizer)
        => content is null ? string.Empty : Text(MessageView.ToWire(content.Type), content.Text, localizer);

    /// <summary>Text as it is; other kinds as a bracketed label, with their caption if they have one.</summary>
    public static string Text(string contentType, string? text, IStringLocalizer localizer) => contentType switch
    {
        "text" => text ?? string.Empty,
        _ when !string.IsNullOrEmpty(text) => $"[{localizer[$"Content.{contentType}"]}] {text}",
        _ => $"[{localizer[$"Content.{contentType}"]}]",
    };

    public static string Sender(string? sender, string contactName, IStringLocalizer localizer)
        => sender == MessageSenders.Contact ? contactName : localizer[$"Sender.{sender ?? MessageSenders.Assistant}"];

    /// <summary>Today's times as a time only, older ones with their date: what a chat list usually shows.</summary>
    public static string Time(DateTimeOffset moment, TimeZoneInfo timeZone, bool compact)
    {
        var local = TimeZoneInfo.ConvertTime(moment, timeZone);
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, timeZone).Date;
        return compact && local.Date == today
            ? local.ToString("t", System.Globalization.CultureInfo.CurrentCulture)
            : local.ToString(compact ? "d" : "g", System.Globalization.CultureInfo.CurrentCulture);
    }

    /// <summary>Round-trip UTC text for data attributes and the catch-up query (full precision, so nothing is skipped).</summary>
    public static string Iso(DateTimeOffset moment) => moment.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
