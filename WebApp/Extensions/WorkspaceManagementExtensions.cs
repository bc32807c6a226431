using Microsoft.AspNetCore.SignalR;
using SaasAssistants.Contracts.Events.Users;
using SaasAssistants.EventBus;
using SaasAssistants.WebApp.ApiKeys;
using SaasAssistants.WebApp.Assistants;
using SaasAssistants.Knowledge;
using SaasAssistants.WebApp.Channels;
using SaasAssistants.WebApp.Knowledge;
using SaasAssistants.WebApp.Users;

namespace SaasAssistants.WebApp.Extensions;

/// <summary>The services of the management pages (owners and admins): channels, API keys, assistants, knowledge, users.</summary>
public static class WorkspaceManagementExtensions
{
    public static IHostApplicationBuilder AddWorkspaceManagement(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration("Gateway");
        builder.Services.AddScoped<ChannelSettings>();
        builder.Services.AddScoped<ApiKeyManager>();
        builder.Services.AddScoped<TeamMembers>();
        builder.Services.AddScoped<AssistantSettings>();
        builder.Services.AddScoped<AssistantConsole>();
        // Uploads are checked and searched with the PublicApi's own knowledge services.
        builder.AddKnowledge();
        builder.Services.AddScoped<KnowledgeLibrary>();
        builder.Services.AddScoped<InvitationAcceptance>();
        // Every hub's connections by user and tenant, so a removed user's or a suspended tenant's live pages can be ended.
        builder.Services.AddSingleton<UserConnections>();
        builder.Services.Configure<HubOptions>(options => options.AddFilter<UserConnections>());
        builder.AddEventConsumer<UserRemoved, UserRemovedHandler>("webapp.user-removals", EventQueueKind.PerInstance);
        builder.Services.AddHostedService<TenantSuspensionListener>();
        return builder;
    }
}
