using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SaasAssistants.Database.Conversations;

namespace SaasAssistants.EventBus.Outbox;

public static class AgentActionsExtensions
{
    /// <summary>The agents' conversation actions (CRM and public API), writing their events through the outbox.</summary>
    public static IServiceCollection AddAgentActions(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<IConversationOutbox, ConversationOutbox>();
        services.TryAddScoped<AgentActions>();
        return services;
    }
}
