-- The CRM (issue 11): who wrote an agent's message, and internal notes that never reach the customer.

-- An agent's outbound message names its author (null for the assistant's replies and for the public API's sends
-- that name no agent).
ALTER TABLE messages ADD COLUMN agent_id uuid REFERENCES users(id);

-- Internal notes on a conversation: for the team only, never sent to the channel, so they are not messages.
CREATE TABLE conversation_notes (
    id               uuid PRIMARY KEY,
    tenant_id        uuid NOT NULL REFERENCES tenants(id),
    conversation_id  uuid NOT NULL REFERENCES conversations(id),
    -- Null when the note came through the public API without a user.
    author_id        uuid REFERENCES users(id),
    text             text NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_conversation_notes_conversation ON conversation_notes (tenant_id, conversation_id, created_at);
ALTER TABLE conversation_notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON conversation_notes USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- The CRM's "assigned to me" and "waiting for a human" filters walk these, newest activity first.
CREATE INDEX ix_conversations_tenant_agent_recent ON conversations (tenant_id, assigned_agent_id, last_message_at DESC)
    WHERE assigned_agent_id IS NOT NULL;
CREATE INDEX ix_conversations_tenant_handoff_recent ON conversations (tenant_id, handoff, last_message_at DESC);
