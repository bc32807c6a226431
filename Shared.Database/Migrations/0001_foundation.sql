-- Foundation schema: tenants and their channels, assistants, conversations, the webhook audit and the outbox.
-- Every tenant-owned table carries tenant_id, indexes that start with it, and a row-level-security policy keyed on
-- the per-connection setting app.tenant_id, which the services set before touching data (see TenantConnectionInterceptor).

CREATE TABLE tenants (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    plan        text NOT NULL DEFAULT 'trial' CHECK (plan IN ('trial', 'starter', 'pro', 'enterprise')),
    status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'cancelled')),
    time_zone   text NOT NULL DEFAULT 'America/Sao_Paulo',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE workspaces (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants(id),
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_workspaces_tenant ON workspaces (tenant_id);

CREATE TABLE users (
    id             uuid PRIMARY KEY,
    tenant_id      uuid NOT NULL REFERENCES tenants(id),
    email          text NOT NULL,
    display_name   text NOT NULL,
    password_hash  text NOT NULL,
    role           text NOT NULL DEFAULT 'agent' CHECK (role IN ('owner', 'admin', 'agent')),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ux_users_email ON users (lower(email));
CREATE INDEX ix_users_tenant ON users (tenant_id);

-- Only a short prefix (to find the row) and a SHA-256 hash of the whole key are stored; the key is shown once.
CREATE TABLE api_keys (
    id            uuid PRIMARY KEY,
    tenant_id     uuid NOT NULL REFERENCES tenants(id),
    name          text NOT NULL,
    prefix        text NOT NULL,
    key_hash      bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE UNIQUE INDEX ux_api_keys_prefix ON api_keys (prefix);
CREATE INDEX ix_api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE assistants (
    id                        uuid PRIMARY KEY,
    tenant_id                 uuid NOT NULL REFERENCES tenants(id),
    workspace_id              uuid NOT NULL REFERENCES workspaces(id),
    name                      text NOT NULL,
    system_prompt             text NOT NULL,
    greeting                  text,
    buffer_timeout_ms         integer NOT NULL DEFAULT 3000 CHECK (buffer_timeout_ms BETWEEN 0 AND 60000),
    provider_settings         jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at                timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_assistants_tenant ON assistants (tenant_id, workspace_id);

-- public_token is published (it is in the widget's page or the webhook URL); secret_encrypted is the channel's
-- signing secret (the widget session key, Meta's app secret), AES-GCM encrypted with the deployment's key.
CREATE TABLE channels (
    id                uuid PRIMARY KEY,
    tenant_id         uuid NOT NULL REFERENCES tenants(id),
    workspace_id      uuid NOT NULL REFERENCES workspaces(id),
    assistant_id      uuid REFERENCES assistants(id),
    type              text NOT NULL CHECK (type IN ('web', 'whatsapp', 'instagram')),
    name              text NOT NULL,
    public_token      text NOT NULL,
    external_id       text,
    secret_encrypted  bytea NOT NULL,
    status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ux_channels_public_token ON channels (public_token);
CREATE INDEX ix_channels_tenant ON channels (tenant_id, workspace_id);

CREATE TABLE contacts (
    id            uuid PRIMARY KEY,
    tenant_id     uuid NOT NULL REFERENCES tenants(id),
    channel_id    uuid NOT NULL REFERENCES channels(id),
    external_id   text NOT NULL,
    display_name  text,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ux_contacts_channel_external ON contacts (tenant_id, channel_id, external_id);

CREATE TABLE conversations (
    id               uuid PRIMARY KEY,
    tenant_id        uuid NOT NULL REFERENCES tenants(id),
    workspace_id     uuid NOT NULL REFERENCES workspaces(id),
    channel_id       uuid NOT NULL REFERENCES channels(id),
    contact_id       uuid NOT NULL REFERENCES contacts(id),
    assistant_id     uuid REFERENCES assistants(id),
    status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    last_message_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_conversations_tenant_recent ON conversations (tenant_id, last_message_at DESC);
-- One open conversation per contact: the upsert of an inbound message relies on it.
CREATE UNIQUE INDEX ux_conversations_open_contact ON conversations (tenant_id, contact_id) WHERE status = 'open';

CREATE TABLE messages (
    id                  uuid PRIMARY KEY,
    tenant_id           uuid NOT NULL REFERENCES tenants(id),
    conversation_id     uuid NOT NULL REFERENCES conversations(id),
    channel_id          uuid NOT NULL REFERENCES channels(id),
    direction           text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    sender              text NOT NULL CHECK (sender IN ('contact', 'assistant', 'agent')),
    channel_message_id  text,
    content             jsonb NOT NULL,
    model               text,
    created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_messages_conversation ON messages (tenant_id, conversation_id, created_at);
-- Natural key of an inbound message: a redelivered webhook or event finds its row and changes nothing.
CREATE UNIQUE INDEX ux_messages_channel_message ON messages (tenant_id, channel_id, channel_message_id)
    WHERE channel_message_id IS NOT NULL;

-- The audit trail of every webhook the Gateway received, including the ones it rejected.
-- tenant_id is null when the channel could not be resolved (an unknown token).
CREATE TABLE webhook_events (
    id                uuid PRIMARY KEY,
    tenant_id         uuid REFERENCES tenants(id),
    channel_id        uuid REFERENCES channels(id),
    channel_type      text NOT NULL,
    status            text NOT NULL CHECK (status IN ('queued', 'accepted', 'rejected')),
    rejection_reason  text,
    correlation_id    text,
    payload           text NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now(),
    processed_at      timestamptz
);
CREATE INDEX ix_webhook_events_tenant ON webhook_events (tenant_id, received_at DESC);

CREATE TABLE outbox_messages (
    id              uuid PRIMARY KEY,
    tenant_id       uuid NOT NULL REFERENCES tenants(id),
    event_type      text NOT NULL,
    payload         jsonb NOT NULL,
    correlation_id  text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    locked_until    timestamptz,
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text,
    published_at    timestamptz
);
CREATE INDEX ix_outbox_pending ON outbox_messages (created_at) WHERE published_at IS NULL;

-- Wake the relays as soon as a row commits, so an event does not wait for the next poll.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox_messages', '');
    RETURN NULL;
END $$;
CREATE TRIGGER outbox_messages_notify AFTER INSERT ON outbox_messages
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Row level security -------------------------------------------------------------------------------------------

-- The tenant of the current connection, or null when none was set (then every policy below matches nothing).
CREATE FUNCTION current_tenant_id() RETURNS uuid LANGUAGE sql STABLE AS $$
    SELECT nullif(current_setting('app.tenant_id', true), '')::uuid
$$;

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants USING (id = current_tenant_id()) WITH CHECK (id = current_tenant_id());

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['workspaces', 'users', 'api_keys', 'assistants', 'channels', 'contacts',
                             'conversations', 'messages', 'outbox_messages']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = current_tenant_id()) '
                       'WITH CHECK (tenant_id = current_tenant_id())', t);
    END LOOP;
END $$;

-- A webhook whose channel is unknown is still audited, without a tenant; only the owner can read those rows.
ALTER TABLE webhook_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_events USING (tenant_id = current_tenant_id())
    WITH CHECK (tenant_id = current_tenant_id() OR (tenant_id IS NULL AND status = 'rejected'));

-- Narrow, audited doors through RLS for the few look-ups that happen before the tenant is known.
-- SECURITY DEFINER runs them as the owner; each returns only what the caller needs to continue.

CREATE FUNCTION resolve_channel(p_public_token text)
RETURNS TABLE (channel_id uuid, tenant_id uuid, workspace_id uuid, assistant_id uuid, channel_type text,
               channel_status text, tenant_status text, secret_encrypted bytea)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT c.id, c.tenant_id, c.workspace_id, c.assistant_id, c.type, c.status, t.status, c.secret_encrypted
    FROM channels c JOIN tenants t ON t.id = c.tenant_id
    WHERE c.public_token = p_public_token
$$;

CREATE FUNCTION resolve_api_key(p_prefix text)
RETURNS TABLE (api_key_id uuid, tenant_id uuid, key_hash bytea, tenant_status text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT k.id, k.tenant_id, k.key_hash, t.status
    FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
    WHERE k.prefix = p_prefix AND k.revoked_at IS NULL
$$;

CREATE FUNCTION find_user_for_sign_in(p_email text)
RETURNS TABLE (user_id uuid, tenant_id uuid, display_name text, password_hash text, role text, tenant_status text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT u.id, u.tenant_id, u.display_name, u.password_hash, u.role, t.status
    FROM users u JOIN tenants t ON t.id = u.tenant_id
    WHERE lower(u.email) = lower(p_email)
$$;

-- The outbox relay works across tenants: it leases a batch of unpublished rows and later marks them published.
CREATE FUNCTION outbox_lease(p_batch integer, p_lease interval)
RETURNS TABLE (id uuid, tenant_id uuid, event_type text, payload jsonb, correlation_id text)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
    UPDATE outbox_messages o
    SET locked_until = now() + p_lease, attempts = o.attempts + 1
    WHERE o.id IN (
        SELECT id FROM outbox_messages
        WHERE published_at IS NULL AND (locked_until IS NULL OR locked_until < now())
        ORDER BY created_at
        LIMIT p_batch
        FOR UPDATE SKIP LOCKED)
    RETURNING o.id, o.tenant_id, o.event_type, o.payload, o.correlation_id
$$;

CREATE FUNCTION outbox_mark_published(p_ids uuid[])
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
    UPDATE outbox_messages SET published_at = now(), locked_until = NULL WHERE id = ANY(p_ids)
$$;

CREATE FUNCTION outbox_release(p_ids uuid[], p_error text)
RETURNS void LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
    UPDATE outbox_messages SET locked_until = NULL, last_error = p_error WHERE id = ANY(p_ids)
$$;

-- Functions are executable by PUBLIC by default; these bypass row level security, so only the app role (granted by
-- DatabaseSetup) may call them.
REVOKE EXECUTE ON FUNCTION resolve_channel(text), resolve_api_key(text), find_user_for_sign_in(text),
    outbox_lease(integer, interval), outbox_mark_published(uuid[]), outbox_release(uuid[], text) FROM PUBLIC;
