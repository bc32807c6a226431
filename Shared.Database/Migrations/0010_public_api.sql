-- Public API (issue 12): OAuth2 client credentials, scopes, rate limits per plan, idempotent creation, outbound webhooks.

-- Scopes an API key grants, e.g. {tasks:read,tasks:write}; null grants every scope (the keys issued before scopes
-- existed, and full-access keys). An access token carries at most its key's scopes.
ALTER TABLE api_keys ADD COLUMN scopes text[];

-- resolve_api_key returns the scopes too: a changed result type needs DROP and CREATE, and so its rights again.
DROP FUNCTION resolve_api_key(text);
CREATE FUNCTION resolve_api_key(p_prefix text)
RETURNS TABLE (api_key_id uuid, tenant_id uuid, key_hash bytea, tenant_status text, scopes text[], tenant_plan text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT k.id, k.tenant_id, k.key_hash, t.status, k.scopes, t.plan
    FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
    WHERE k.prefix = p_prefix AND k.revoked_at IS NULL
$$;
REVOKE EXECUTE ON FUNCTION resolve_api_key(text) FROM PUBLIC;

-- The keys that sign the access tokens of POST /oauth/token, shared by every PublicApi instance (a token one signs,
-- all accept). Not tenant-owned. The private key is AES-GCM encrypted with the deployment's key (Secrets:EncryptionKey).
-- A key signs from activates_at (a new key activates a few minutes after it is created, so every instance has loaded
-- it before the first token it signs arrives) until the next key activates, and verifies until retires_at.
CREATE TABLE api_signing_keys (
    id                     uuid PRIMARY KEY,
    algorithm              text NOT NULL CHECK (algorithm IN ('ES256')),
    private_key_encrypted  bytea NOT NULL,
    created_at             timestamptz NOT NULL DEFAULT now(),
    activates_at           timestamptz NOT NULL,
    retires_at             timestamptz NOT NULL,
    CHECK (retires_at > activates_at)
);
CREATE INDEX ix_api_signing_keys_retires ON api_signing_keys (retires_at);

-- Idempotency-Key on the POSTs that create something (tasks keep theirs in tasks.idempotency_key): the key, a hash of
-- the request it was first used with, and what that request created. A retry with the same key and request answers
-- with the same resource; the same key with another request is refused.
CREATE TABLE idempotency_keys (
    tenant_id     uuid NOT NULL REFERENCES tenants(id),
    key           text NOT NULL,
    operation     text NOT NULL,
    request_hash  text NOT NULL,
    resource_id   uuid NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, key)
);
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON idempotency_keys USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- Outbound webhook subscriptions (Standard Webhooks). The signing secret (whsec_...) is AES-GCM encrypted with the
-- deployment's key; during a rotation the previous secret signs too until previous_secret_expires_at. A subscription
-- that keeps failing is disabled (status, disabled_reason) and the tenant told.
CREATE TABLE webhook_subscriptions (
    id                          uuid PRIMARY KEY,
    tenant_id                   uuid NOT NULL REFERENCES tenants(id),
    url                         text NOT NULL,
    events                      text[] NOT NULL CHECK (cardinality(events) > 0),
    secret_encrypted            bytea NOT NULL,
    previous_secret_encrypted   bytea,
    previous_secret_expires_at  timestamptz,
    status                      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    disabled_reason             text,
    consecutive_failures        integer NOT NULL DEFAULT 0,
    created_at                  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_webhook_subscriptions_tenant ON webhook_subscriptions (tenant_id, created_at);
ALTER TABLE webhook_subscriptions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_subscriptions USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
