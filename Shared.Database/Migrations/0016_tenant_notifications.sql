-- Public API (issue 12): what the system has to tell a tenant, shown in the CRM until someone reads it. The first kind
-- is a webhook subscription disabled because its endpoint kept failing. Text is not stored: the CRM words each kind in
-- the reader's language from kind, subject (e.g. the URL) and detail (e.g. the reason).
CREATE TABLE tenant_notifications (
    id               uuid PRIMARY KEY,
    tenant_id        uuid NOT NULL REFERENCES tenants(id),
    kind             text NOT NULL CHECK (kind IN ('webhook_subscription_disabled')),
    -- What it is about (the subscription's id): the CRM links to it.
    subject_id       uuid,
    subject          text,
    detail           text,
    -- The integration event that raised it: a redelivered event adds nothing.
    source_event_id  uuid NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    -- Read for the whole tenant: one agent dismissing it is enough.
    read_at          timestamptz,
    read_by          uuid REFERENCES users(id),
    UNIQUE (tenant_id, source_event_id)
);
CREATE INDEX ix_tenant_notifications_unread ON tenant_notifications (tenant_id, created_at DESC) WHERE read_at IS NULL;
ALTER TABLE tenant_notifications ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_notifications USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
