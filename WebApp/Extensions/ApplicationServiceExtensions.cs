using Microsoft.AspNetCore.SignalR;
using SaasAssistants.Contracts.Events;
using SaasAssistants.Contracts.Events.Conversations;
using SaasAssistants.Database;
using SaasAssistants.Database.Media;
using SaasAssistants.EventBus;
using SaasAssistants.EventBus.Outbox;
using SaasAssistants.WebApp.Account;
using SaasAssistants.WebApp.Contacts;
using SaasAssistants.WebApp.Conversations;
using SaasAssistants.WebApp.Localization;
using SaasAssistants.WebApp.Security;
using SaasAssistants.WebApp.Settings;
using SaasAssistants.WebApp.Tenancy;

namespace SaasAssistants.WebApp.Extensions;

internal static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddSaasDatabase();
        builder.AddEventBus("messaging");

        builder.AddAccount();
        builder.AddWebSecurity();
        builder.AddCrmLocalization();
        builder.Services.AddRazorComponents();
        builder.Services.AddSignalR(options => options.AddFilter<TenantHubFilter>());

        builder.Services.AddScoped<ConversationReader>();
        builder.Services.AddMediaStorage();
        builder.Services.AddAgentActions();
        builder.Services.AddScoped<TenantClock>();
        builder.AddWorkspaceManagement();
        builder.Services.AddScoped<ContactReader>();
        builder.Services.AddScoped<ContactActions>();
        builder.Services.AddScoped<SettingsService>();
        // Each WebApp instance holds its own SignalR connections, so each one needs every event (no backplane).
        builder.AddEventConsumer<MessageAdded, MessageAddedHandler>("webapp.conversation-updates", EventQueueKind.PerInstance);
        builder.AddEventConsumer<ConversationStateChanged, ConversationChangedHandler>("webapp.conversation-states", EventQueueKind.PerInstance);
        builder.AddEventConsumer<ConversationHandoffChanged, ConversationChangedHandler>("webapp.conversation-handoffs", EventQueueKind.PerInstance);
        builder.AddEventConsumer<ConversationNoteAdded, ConversationChangedHandler>("webapp.conversation-notes", EventQueueKind.PerInstance);
        builder.AddEventConsumer<MessageMediaStored, MessageMediaStoredHandler>("webapp.media-stored", EventQueueKind.PerInstance);
        builder.Services.AddHostedService<DeliveryStatusListener>();
        return builder;
    }
}
