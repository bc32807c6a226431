using Npgsql;

namespace SaasAssistants.IntegrationTests.Database;

/// <summary>
/// One tenant with a row in every tenant-owned table, written as the owner (who is not subject to row level security),
/// so the tests can look at them through the app role.
/// </summary>
public sealed record TenantRows(Guid TenantId, Guid WorkspaceId, Guid AssistantId, Guid ChannelId, Guid ContactId, Guid ConversationId,
    Guid MessageId, Guid UserId, Guid ApiKeyId, Guid WebhookEventId, Guid OutboxMessageId, Guid TaskId, Guid TaskAttemptId, Guid TaskArtifactId,
    Guid KnowledgeBaseId, Guid KnowledgeDocumentId, Guid KnowledgeChunkId, string ChannelToken, string ApiKeyPrefix, string UserEmail)
{
    /// <summary>
    /// Every table with a tenant_id, and how the owning column is called (tenants own themselves); parents before
    /// children. RowLevelSecurityTests checks this list against the schema, so a new tenant-owned table must be added here.
    /// </summary>
    public static readonly IReadOnlyList<(string Table, string TenantColumn)> TenantOwnedTables =
    [
        ("tenants", "id"), ("workspaces", "tenant_id"), ("users", "tenant_id"), ("api_keys", "tenant_id"), ("assistants", "tenant_id"),
        ("channels", "tenant_id"), ("contacts", "tenant_id"), ("conversations", "tenant_id"), ("messages", "tenant_id"),
        ("webhook_events", "tenant_id"), ("outbox_messages", "tenant_id"),
        ("tasks", "tenant_id"), ("task_attempts", "tenant_id"), ("task_artifacts", "tenant_id"),
        ("knowledge_bases", "tenant_id"), ("assistant_knowledge_bases", "tenant_id"), ("knowledge_documents", "tenant_id"), ("knowledge_chunks", "tenant_id"),
        ("idempotency_keys", "tenant_id"), ("webhook_subscriptions", "tenant_id"),
        ("pending_delivery_updates", "tenant_id"), ("message_media", "tenant_id"), ("media_contents", "tenant_id"),
        ("webhook_deliveries", "tenant_id"), ("webhook_delivery_attempts", "tenant_id"),
        ("conversation_notes", "tenant_id"),
        ("tenant_notifications", "tenant_id"),
        ("user_invitations", "tenant_id"),
        ("audit_events", "tenant_id"),
    ];

    public static async Task<TenantRows> InsertAsync(string ownerConnectionString, string name)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var rows = new TenantRows(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(),
            Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(),
            Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), $"wc_{suffix}", suffix[..8], $"{suffix}@{name}.test");

        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO tenants (id, name, plan) VALUES (@tenant, @name, 'pro');
            INSERT INTO workspaces (id, tenant_id, name) VALUES (@workspace, @tenant, 'Main');
            INSERT INTO users (id, tenant_id, email, display_name, password_hash) VALUES (@user, @tenant, @email, 'Agent', 'hash');
            INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash) VALUES (@apiKey, @tenant, 'key', @prefix, '\x01');
            INSERT INTO assistants (id, tenant_id, workspace_id, name, system_prompt) VALUES (@assistant, @tenant, @workspace, 'Bot', 'Be nice');
            INSERT INTO channels (id, tenant_id, workspace_id, assistant_id, type, name, public_token, secret_encrypted)
                VALUES (@channel, @tenant, @workspace, @assistant, 'web', 'Web', @token, '\x02');
            INSERT INTO contacts (id, tenant_id, channel_id, external_id) VALUES (@contact, @tenant, @channel, 'visitor-1');
            INSERT INTO conversations (id, tenant_id, workspace_id, channel_id, contact_id, assistant_id)
                VALUES (@conversation, @tenant, @workspace, @channel, @contact, @assistant);
            INSERT INTO messages (id, tenant_id, conversation_id, channel_id, direction, sender, channel_message_id, content)
                VALUES (@message, @tenant, @conversation, @channel, 'inbound', 'contact', 'm-1', '{"type":"text","text":"hi"}');
            INSERT INTO webhook_events (id, tenant_id, channel_id, channel_type, status, payload)
                VALUES (@webhookEvent, @tenant, @channel, 'web', 'accepted', '{}');
            INSERT INTO outbox_messages (id, tenant_id, event_type, payload, published_at)
                VALUES (@outbox, @tenant, 'Seeded', '{}', now());
            INSERT INTO tasks (id, tenant_id, type, status, attempt_count, started_at, finished_at)
                VALUES (@task, @tenant, 'seeded', 'Succeeded', 1, now(), now());
            INSERT INTO task_attempts (id, tenant_id, task_id, attempt_no, started_at, ended_at, status)
                VALUES (@taskAttempt, @tenant, @task, 1, now(), now(), 'Succeeded');
            INSERT INTO task_artifacts (id, tenant_id, task_id, kind, content) VALUES (@taskArtifact, @tenant, @task, 'text', 'done');
            INSERT INTO knowledge_bases (id, tenant_id, workspace_id, name, embedding_model, embedding_dimensions)
                VALUES (@knowledgeBase, @tenant, @workspace, 'Help', 'test-model', 384);
            INSERT INTO assistant_knowledge_bases (tenant_id, assistant_id, knowledge_base_id) VALUES (@tenant, @assistant, @knowledgeBase);
            INSERT INTO knowledge_documents (id, tenant_id, knowledge_base_id, name, format, size_bytes, checksum, content)
                VALUES (@knowledgeDocument, @tenant, @knowledgeBase, 'hours.txt', 'txt', 5, @suffix, 'hello');
            INSERT INTO knowledge_chunks (id, tenant_id, knowledge_base_id, document_id, ordinal, content, token_count, fts_config, embedding, embedding_model)
                VALUES (@knowledgeChunk, @tenant, @knowledgeBase, @knowledgeDocument, 0, 'hello', 1, 'english', array_fill(0.1::real, ARRAY[384])::vector, 'test-model');
            INSERT INTO idempotency_keys (tenant_id, key, operation, request_hash, resource_id)
                VALUES (@tenant, 'seeded-key', 'assistants.create', 'v1:seeded', @assistant);
            WITH subscription AS (
                INSERT INTO webhook_subscriptions (id, tenant_id, url, events, secret_encrypted)
                VALUES (gen_random_uuid(), @tenant, 'https://partner.example/hooks', '{message.created}', '\x03') RETURNING id),
            delivery AS (
                INSERT INTO webhook_deliveries (id, tenant_id, subscription_id, event_id, event_type, message_id, body, task_id)
                SELECT gen_random_uuid(), @tenant, id, gen_random_uuid(), 'message.created', 'msg_seeded', '{}', @task FROM subscription RETURNING id)
            INSERT INTO webhook_delivery_attempts (id, tenant_id, delivery_id, task_id, attempt_no, started_at, duration_ms, status_code, succeeded)
                SELECT gen_random_uuid(), @tenant, id, @task, 1, now(), 12, 200, true FROM delivery;
            INSERT INTO pending_delivery_updates (tenant_id, channel_id, channel_message_id, status, occurred_at)
                VALUES (@tenant, @channel, 'wamid.early', 'sent', now());
            WITH media AS (
                INSERT INTO message_media (id, tenant_id, message_id, channel_id, kind, source, status, content_type, size_bytes)
                VALUES (gen_random_uuid(), @tenant, @message, @channel, 'image', 'media-1', 'stored', 'image/jpeg', 3)
                RETURNING id)
            INSERT INTO media_contents (media_id, tenant_id, content) SELECT id, @tenant, '\x010203' FROM media;
            INSERT INTO conversation_notes (id, tenant_id, conversation_id, author_id, text)
                VALUES (gen_random_uuid(), @tenant, @conversation, @user, 'VIP customer');
            INSERT INTO tenant_notifications (id, tenant_id, kind, subject_id, subject, detail, source_event_id)
                VALUES (gen_random_uuid(), @tenant, 'webhook_subscription_disabled', gen_random_uuid(), 'https://partner.example/hooks', 'Gone', gen_random_uuid());
            INSERT INTO user_invitations (id, tenant_id, email, role, token_hash, invited_by, expires_at)
                VALUES (gen_random_uuid(), @tenant, 'invited-' || @email, 'agent', decode(md5(@email), 'hex'), @user, now() + interval '7 days');
            INSERT INTO audit_events (id, tenant_id, actor_id, actor_name, action, subject_type, subject_id)
                VALUES (gen_random_uuid(), @tenant, @user, 'Agent', 'contact.exported', 'contact', @contact);
            """, connection);
        command.Parameters.AddWithValue("tenant", rows.TenantId);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("workspace", rows.WorkspaceId);
        command.Parameters.AddWithValue("user", rows.UserId);
        command.Parameters.AddWithValue("email", rows.UserEmail);
        command.Parameters.AddWithValue("apiKey", rows.ApiKeyId);
        command.Parameters.AddWithValue("prefix", rows.ApiKeyPrefix);
        command.Parameters.AddWithValue("assistant", rows.AssistantId);
        command.Parameters.AddWithValue("channel", rows.ChannelId);
        command.Parameters.AddWithValue("token", rows.ChannelToken);
        command.Parameters.AddWithValue("contact", rows.ContactId);
        command.Parameters.AddWithValue("conversation", rows.ConversationId);
        command.Parameters.AddWithValue("message", rows.MessageId);
        command.Parameters.AddWithValue("webhookEvent", rows.WebhookEventId);
        command.Parameters.AddWithValue("outbox", rows.OutboxMessageId);
        command.Parameters.AddWithValue("task", rows.TaskId);
        command.Parameters.AddWithValue("taskAttempt", rows.TaskAttemptId);
        command.Parameters.AddWithValue("taskArtifact", rows.TaskArtifactId);
        command.Parameters.AddWithValue("knowledgeBase", rows.KnowledgeBaseId);
        command.Parameters.AddWithValue("knowledgeDocument", rows.KnowledgeDocumentId);
        command.Parameters.AddWithValue("knowledgeChunk", rows.KnowledgeChunkId);
        command.Parameters.AddWithValue("suffix", suffix);
        await command.ExecuteNonQueryAsync();
        return rows;
    }
}
