using SaasAssistants.WebApp.ApiKeys;
using SaasAssistants.WebApp.Channels;

namespace SaasAssistants.WebApp.Extensions;

/// <summary>The services of the management pages (owners and admins): channels, API keys, assistants, knowledge, users.</summary>
public static class WorkspaceManagementExtensions
{
    public static IHostApplicationBuilder AddWorkspaceManagement(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration("Gateway");
        builder.Services.AddScoped<ChannelSettings>();
        builder.Services.AddScoped<ApiKeyManager>();
        return builder;
    }
}
