using System.Globalization;
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

    /// <summary>A file's label: its kind, and its name when the channel gave one.</summary>
    public static string MediaLabel(string contentType, MediaReference media, IStringLocalizer localizer)
        => media.FileName is { Length: > 0 } name ? $"[{localizer[$"Content.{contentType}"]}] {name}" : $"[{localizer[$"Content.{contentType}"]}]";

    /// <summary>The channel's own map link when it sent one, else OpenStreetMap at the coordinates.</summary>
    public static string MapUrl(LocationContent location)
        => location.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? url
            : string.Create(CultureInfo.InvariantCulture, $"https://www.openstreetmap.org/?mlat={location.Latitude}&mlon={location.Longitude}#map=16/{location.Latitude}/{location.Longitude}");

    public static string Coordinates(LocationContent location)
        => string.Create(CultureInfo.InvariantCulture, $"{location.Latitude:0.#####}, {location.Longitude:0.#####}");

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
