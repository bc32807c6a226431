-- Channels (issue 8): statuses that overtake our own send, and inbound media fetched and stored.

-- A status webhook for one of our sends can reach the Gateway before the send's HTTP answer has given us the wamid
-- (Meta posts "sent" as soon as it accepts the message). Such an update waits here instead of being dropped, and
-- message.send applies it when it stores the wamid. Both sides take the same transaction-scoped advisory lock on the
-- channel message id, so one of them always sees the other's commit. Meta ids are unique per channel.
CREATE TABLE pending_delivery_updates (
    tenant_id           uuid NOT NULL REFERENCES tenants(id),
    channel_id          uuid NOT NULL REFERENCES channels(id),
    channel_message_id  text NOT NULL,
    status              text NOT NULL CHECK (status IN ('sent', 'delivered', 'read', 'failed')),
    error               text,
    occurred_at         timestamptz NOT NULL,
    received_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, channel_id, channel_message_id, status)
);
-- The retention job drops the ones no send ever claimed (a status for a message sent by another system).
CREATE INDEX ix_pending_delivery_updates_received ON pending_delivery_updates (received_at);
ALTER TABLE pending_delivery_updates ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON pending_delivery_updates USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- Media a customer sent (image, audio, video, document, sticker): one row per attachment, created with the inbound
-- message (pending) and completed by the media.fetch task (stored, or failed with its reason). The CRM and the API
-- list a message's media from here; the bytes are behind IMediaStorage (media_contents below by default).
CREATE TABLE message_media (
    id                 uuid PRIMARY KEY,
    tenant_id          uuid NOT NULL REFERENCES tenants(id),
    message_id         uuid NOT NULL REFERENCES messages(id),
    channel_id         uuid NOT NULL REFERENCES channels(id),
    kind               text NOT NULL CHECK (kind IN ('image', 'audio', 'video', 'document', 'sticker')),
    -- Where the channel has it: Graph's media id, or Twilio's MediaUrlN.
    source             text NOT NULL,
    status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'stored', 'failed')),
    content_type       text,
    size_bytes         bigint,
    sha256             text,
    file_name          text,
    error              text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    stored_at          timestamptz,
    UNIQUE (tenant_id, message_id, source)
);
CREATE INDEX ix_message_media_message ON message_media (tenant_id, message_id);
ALTER TABLE message_media ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON message_media USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- The bytes, apart from the row the lists read. PostgreSQL rather than files: every service (WebApp, PublicApi, the
-- worker that fetched them) reads the same database on any machine, row level security covers the bytes too, and
-- backups hold them; the size limit (Media:MaxBytes, 16 MB like WhatsApp's video and audio) keeps rows reasonable.
CREATE TABLE media_contents (
    media_id    uuid PRIMARY KEY REFERENCES message_media(id),
    tenant_id   uuid NOT NULL REFERENCES tenants(id),
    content     bytea NOT NULL
);
ALTER TABLE media_contents ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON media_contents USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- Retention also drops the statuses no send ever claimed (sends from outside this system, e.g. Meta's own tools), with
-- the payloads: after that long no send of ours is still waiting for its wamid.
CREATE OR REPLACE FUNCTION webhook_events_apply_retention(p_payload_before timestamptz, p_rows_before timestamptz)
RETURNS TABLE (payloads_dropped bigint, rows_deleted bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    dropped bigint;
    deleted bigint;
BEGIN
    DELETE FROM webhook_events WHERE received_at < p_rows_before;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    UPDATE webhook_events SET payload = NULL WHERE received_at < p_payload_before AND payload IS NOT NULL;
    GET DIAGNOSTICS dropped = ROW_COUNT;
    DELETE FROM pending_delivery_updates WHERE received_at < p_payload_before;
    RETURN QUERY SELECT dropped, deleted;
END $$;
