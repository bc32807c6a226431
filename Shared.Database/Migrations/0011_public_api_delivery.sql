-- Public API, part 2 (issue 12): outbound webhook delivery (one delivery per event and subscription, each attempt logged,
-- subscriptions that keep failing disabled with a reason the CRM and the API show) and contact metadata.

-- A subscription is disabled after M consecutive failed attempts or when every attempt has failed for N days
-- (failing_since is the first failure of the current run of failures; a 2xx clears it), or at once on 410 Gone.
ALTER TABLE webhook_subscriptions
    ADD COLUMN failing_since timestamptz,
    ADD COLUMN disabled_at   timestamptz;

-- One event for one subscription. The body is fixed when the event fans out, so every attempt and every replay sends
-- the same bytes under the same webhook-id (message_id). task_id is the webhook.deliver task now responsible for it
-- (a replay starts a new one); whether it was delivered is that task's status.
CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY,
    tenant_id        uuid NOT NULL REFERENCES tenants(id),
    subscription_id  uuid NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
    event_id         uuid NOT NULL,
    event_type       text NOT NULL,
    message_id       text NOT NULL,
    body             text NOT NULL,
    task_id          uuid NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    -- A redelivered integration event fans out once.
    UNIQUE (subscription_id, event_id)
);
CREATE INDEX ix_webhook_deliveries_subscription ON webhook_deliveries (tenant_id, subscription_id, created_at DESC, id DESC);
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_deliveries USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- Every POST we made (or refused to make): the delivery log partners read.
CREATE TABLE webhook_delivery_attempts (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants(id),
    delivery_id  uuid NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    task_id      uuid NOT NULL,
    attempt_no   integer NOT NULL,
    started_at   timestamptz NOT NULL,
    duration_ms  integer NOT NULL,
    status_code  integer,
    succeeded    boolean NOT NULL,
    error        text
);
CREATE INDEX ix_webhook_delivery_attempts_delivery ON webhook_delivery_attempts (tenant_id, delivery_id, started_at);
ALTER TABLE webhook_delivery_attempts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_delivery_attempts USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- The public API's contacts (issue 12): a partner keeps its own fields on a contact (CRM ids, tags, ...) as a JSON object.
ALTER TABLE contacts ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(metadata) = 'object');
