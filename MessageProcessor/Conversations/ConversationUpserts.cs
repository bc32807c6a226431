using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SaasAssistants.Contracts;
using SaasAssistants.Database;
using SaasAssistants.Database.Entities;

namespace SaasAssistants.MessageProcessor.Conversations;

/// <summary>
/// The writes that must hold under redelivery and concurrency, as single SQL statements leaning on the schema's
/// unique indexes (ON CONFLICT), instead of read-then-insert sequences that two consumers could interleave.
/// Each runs in the caller's transaction and under its tenant (row level security applies).
/// </summary>
public static class ConversationUpserts
{
    /// <summary>Finds or creates the channel's contact and keeps its display name fresh; returns its id.</summary>
    public static async Task<Guid> UpsertContactAsync(this SaasDbContext db, Guid tenantId, Guid channelId, string externalId,
        string? displayName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = await db.Database.SqlQuery<Guid>($"""
            INSERT INTO contacts (id, tenant_id, channel_id, external_id, display_name, created_at)
            VALUES ({Guid.CreateVersion7()}, {tenantId}, {channelId}, {externalId}, {displayName}::text, {now})
            ON CONFLICT (tenant_id, channel_id, external_id)
            DO UPDATE SET display_name = COALESCE(EXCLUDED.display_name, contacts.display_name)
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);
        return ids.Single();
    }

    /// <summary>
    /// Returns the contact's open conversation, opening one if there is none, with last_message_at brought up to
    /// <paramref name="now"/> (and the version bumped, so a concurrent entity update fails and retries). A concurrent
    /// opener waits on the partial unique index ux_conversations_open_contact and then gets the same row. A CLOSED or
    /// EXPIRED conversation is not open, so the next message opens a new one. <c>Opened</c> is true for a new row.
    /// </summary>
    public static async Task<OpenedConversation> OpenConversationAsync(this SaasDbContext db, Guid tenantId, Guid workspaceId, Guid channelId,
        Guid contactId, Guid? assistantId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // xmax = 0 only on a row this statement inserted.
        var rows = await db.Database.SqlQuery<OpenedConversation>($"""
            INSERT INTO conversations (id, tenant_id, workspace_id, channel_id, contact_id, assistant_id, status, state, state_changed_at,
                                       created_at, last_message_at)
            VALUES ({Guid.CreateVersion7()}, {tenantId}, {workspaceId}, {channelId}, {contactId}, {assistantId}::uuid, 'open', 'PENDING', {now},
                    {now}, {now})
            ON CONFLICT (tenant_id, contact_id) WHERE status = 'open'
            DO UPDATE SET last_message_at = GREATEST(conversations.last_message_at, EXCLUDED.last_message_at),
                          version = conversations.version + 1
            RETURNING id AS "Id", (xmax = 0) AS "Opened"
            """).ToListAsync(cancellationToken);
        return rows.Single();
    }

    /// <summary>
    /// Inserts an inbound message unless its channel message id is already stored (ux_messages_channel_message).
    /// False means a redelivery: the first delivery did, or is doing, all the work.
    /// </summary>
    public static async Task<bool> TryInsertInboundMessageAsync(this SaasDbContext db, Message message, CancellationToken cancellationToken)
    {
        var content = JsonSerializer.Serialize(message.Content, ContractJson.Options);
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO messages (id, tenant_id, conversation_id, channel_id, direction, sender, channel_message_id, content, created_at)
            VALUES ({message.Id}, {message.TenantId}, {message.ConversationId}, {message.ChannelId}, 'inbound', {message.Sender},
                    {message.ChannelMessageId}, {content}::jsonb, {message.CreatedAt})
            ON CONFLICT (tenant_id, channel_id, channel_message_id) WHERE channel_message_id IS NOT NULL
            DO NOTHING
            """, cancellationToken);
        return inserted == 1;
    }
}

/// <summary>The contact's open conversation and whether this message opened it.</summary>
public sealed record OpenedConversation(Guid Id, bool Opened);
