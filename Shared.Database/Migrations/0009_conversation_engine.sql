-- The conversation engine (issue 9): lifecycle state with optimistic locking, who answers (handoff), the rolling
-- summary, the link between inbound messages and the ai.reply task that answers them, and the tenant's AI budget.

-- Seed 004's lifecycle. `status` stays (open/closed) because the one-open-conversation index and the readers use it;
-- the entity keeps it in step with `state` (CLOSED and EXPIRED are closed, everything else open).
ALTER TABLE conversations
    ADD COLUMN state text NOT NULL DEFAULT 'PENDING'
        CHECK (state IN ('PENDING', 'PROGRESS', 'IDLE_TIMEOUT', 'EXPIRED', 'CLOSED')),
    ADD COLUMN state_changed_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN handoff text NOT NULL DEFAULT 'assistant' CHECK (handoff IN ('assistant', 'waiting_for_human', 'human')),
    ADD COLUMN handoff_reason text,
    ADD COLUMN assigned_agent_id uuid REFERENCES users(id),
    ADD COLUMN summary text,
    -- The newest message the summary covers: turns after it are sent verbatim.
    ADD COLUMN summary_through timestamptz,
    -- The ai.reply task in flight for this conversation, if any: a second burst waits for it, so replies never overtake.
    ADD COLUMN reply_task_id uuid,
    -- Optimistic locking: every update checks and bumps it.
    ADD COLUMN version integer NOT NULL DEFAULT 0;
UPDATE conversations SET state = 'CLOSED' WHERE status = 'closed';
ALTER TABLE conversations
    ADD CONSTRAINT ck_conversations_state_status CHECK ((state IN ('CLOSED', 'EXPIRED')) = (status = 'closed')),
    ADD CONSTRAINT ck_conversations_human_agent CHECK (handoff = 'human' OR assigned_agent_id IS NULL);

-- Lifecycle maintenance walks the open conversations by last activity.
CREATE INDEX ix_conversations_open_activity ON conversations (last_message_at) WHERE status = 'open';

-- Inbound: the ai.reply task that answers the message (null = not yet taken into a reply; PostgreSQL, not Redis, is
-- the source of truth for what is unanswered). Outbound: the task that wrote it; unique, so a retried task whose
-- first attempt committed its reply cannot write a second one.
ALTER TABLE messages ADD COLUMN task_id uuid;
CREATE INDEX ix_messages_unanswered ON messages (tenant_id, conversation_id, created_at)
    WHERE direction = 'inbound' AND task_id IS NULL;
CREATE UNIQUE INDEX ux_messages_reply_task ON messages (tenant_id, task_id) WHERE direction = 'outbound' AND task_id IS NOT NULL;

-- Lifecycle timing per assistant.
ALTER TABLE assistants
    ADD COLUMN idle_timeout_seconds integer NOT NULL DEFAULT 1800 CHECK (idle_timeout_seconds > 0),
    ADD COLUMN expire_after_seconds integer NOT NULL DEFAULT 86400 CHECK (expire_after_seconds > 0);

-- The plan sets the monthly AI budget (configuration); a tenant's own figure overrides it. Null: the plan's.
ALTER TABLE tenants ADD COLUMN ai_monthly_budget_usd numeric(12,2) CHECK (ai_monthly_budget_usd >= 0);

-- The attempt's cost is null when the model has no price (flagged, never a silent 0).
ALTER TABLE task_attempts ADD COLUMN cost_unpriced boolean NOT NULL DEFAULT false;

-- Cross-tenant doors for the engine's background work; each returns ids only, and the work itself then runs under
-- the tenant (row level security applies).

-- Conversations with inbound messages no reply task has taken, older than the given age: the safety net that finds
-- bursts whose Redis entry was lost (a Redis restart without persistence).
CREATE FUNCTION conversations_awaiting_reply(p_older_than interval, p_limit integer)
RETURNS TABLE (tenant_id uuid, conversation_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT DISTINCT m.tenant_id, m.conversation_id
    FROM messages m JOIN conversations c ON c.id = m.conversation_id
    WHERE m.direction = 'inbound' AND m.task_id IS NULL AND m.created_at < now() - p_older_than
      AND c.status = 'open' AND c.handoff = 'assistant' AND c.assistant_id IS NOT NULL
    LIMIT p_limit
$$;
REVOKE EXECUTE ON FUNCTION conversations_awaiting_reply(interval, integer) FROM PUBLIC;

-- Open conversations quiet for longer than their assistant's idle timeout (or expiry): the lifecycle task's work list.
CREATE FUNCTION conversations_lifecycle_due(p_limit integer)
RETURNS TABLE (tenant_id uuid, conversation_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT c.tenant_id, c.id
    FROM conversations c LEFT JOIN assistants a ON a.id = c.assistant_id
    WHERE c.status = 'open'
      AND ((c.state IN ('PENDING', 'PROGRESS') AND c.last_message_at < now() - make_interval(secs => COALESCE(a.idle_timeout_seconds, 1800)))
        OR c.last_message_at < now() - make_interval(secs => COALESCE(a.expire_after_seconds, 86400)))
    ORDER BY c.last_message_at
    LIMIT p_limit
$$;
REVOKE EXECUTE ON FUNCTION conversations_lifecycle_due(integer) FROM PUBLIC;
