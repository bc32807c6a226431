using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using SaasAssistants.WebApp.Account;

namespace SaasAssistants.WebApp.Conversations;

/// <summary>
/// Live updates for agents. Every connection joins its tenant's group (list updates); a conversation page also joins
/// that conversation's group. The tenant is set for each call by TenantHubFilter, so the reader only finds the
/// caller's own conversations.
/// </summary>
[Authorize]
public sealed class ConversationHub(ConversationReader conversations) : Hub
{
    public const string Path = "/hubs/conversations";

    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, ConversationGroups.Tenant(TenantId), Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }

    public async Task JoinConversation(Guid conversationId)
    {
        if (!await conversations.ExistsAsync(conversationId, Context.ConnectionAborted))
        {
            throw new HubException("Conversation not found.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, ConversationGroups.Conversation(TenantId, conversationId), Context.ConnectionAborted);
    }

    private Guid TenantId => Context.User!.GetTenantId();
}
