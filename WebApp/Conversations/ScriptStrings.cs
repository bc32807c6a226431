using System.Text.Json;
using Microsoft.Extensions.Localization;

namespace SaasAssistants.WebApp.Conversations;

/// <summary>The localized strings the page scripts need, handed over as JSON in a data attribute.</summary>
public static class ScriptStrings
{
    private static readonly string[] Keys =
    [
        "Sender.contact", "Sender.assistant", "Sender.agent",
        "Content.image", "Content.audio", "Content.document", "Content.unsupported",
        "Live.Connecting", "Live.Connected", "Live.Reconnecting", "Live.Offline",
        "Channel.web", "Channel.whatsapp", "Channel.instagram", "Conversations.NewActivity",
        "Content.video", "Content.sticker", "Content.location", "Content.contacts", "Content.choice", "Content.reaction",
        "Content.share", "Content.storymention", "Content.edit", "Content.deletion",
        "Delivery.queued", "Delivery.sent", "Delivery.delivered", "Delivery.read", "Delivery.failed",
    ];

    public static string Json(IStringLocalizer localizer)
        => JsonSerializer.Serialize(Keys.ToDictionary(key => key, key => localizer[key].Value));
}
