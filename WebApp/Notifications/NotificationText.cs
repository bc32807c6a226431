using Microsoft.Extensions.Localization;
using SaasAssistants.Database.Entities;
using SaasAssistants.WebApp.Localization;

namespace SaasAssistants.WebApp.Notifications;

/// <summary>A notice in the reader's language: the text is not stored, only its kind and what it is about.</summary>
public static class NotificationText
{
    public static string Summary(IStringLocalizer<SharedResource> localizer, TenantNotification notification)
        => localizer[$"Notifications.{notification.Kind}", notification.Subject ?? "", notification.Detail ?? ""];
}
