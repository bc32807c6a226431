-- Channels (issue 8): WhatsApp Cloud API, Instagram Messaging and Twilio WhatsApp, in and out.

-- A messaging channel's provider credentials. secret_encrypted (0001) is the signing secret: Meta's app secret, or
-- Twilio's auth token. The verify token (Meta's GET handshake) and the access token (outbound sends) are secrets too,
-- AES-GCM encrypted with the deployment's key like it. provider says whose API a WhatsApp channel speaks; a web channel
-- has none. provider_account_id is Twilio's AccountSid (the sends' URL), or Meta's business account id.
ALTER TABLE channels
    ADD COLUMN provider                text CHECK (provider IN ('meta', 'twilio')),
    ADD COLUMN provider_account_id     text,
    ADD COLUMN verify_token_encrypted  bytea,
    ADD COLUMN access_token_encrypted  bytea;

-- Outbound delivery state, as the channel reports it (null on inbound messages). The order is the lifecycle:
-- a status never moves back (Meta may deliver "read" before "delivered"), and failed is final.
ALTER TABLE messages
    ADD COLUMN delivery_status      text CHECK (delivery_status IN ('queued', 'sent', 'delivered', 'read', 'failed')),
    ADD COLUMN delivery_error       text,
    ADD COLUMN delivery_updated_at  timestamptz;

-- The audit keeps what signature came with each delivery and whether it verified. The retention job drops raw
-- payloads before it drops the rows, so the payload may be null.
ALTER TABLE webhook_events
    ADD COLUMN signature           text,
    ADD COLUMN signature_verified  boolean,
    ALTER COLUMN payload DROP NOT NULL;

-- What the channel edge needs before the tenant is known (a Meta or Twilio webhook names only the channel key):
-- resolve_channel's columns plus the provider's identifiers and the encrypted verify token. Like resolve_channel, a
-- narrow SECURITY DEFINER door through row level security, callable only by the app role.
CREATE FUNCTION resolve_messaging_channel(p_public_token text)
RETURNS TABLE (channel_id uuid, tenant_id uuid, workspace_id uuid, assistant_id uuid, channel_type text,
               channel_status text, tenant_status text, tenant_plan text, secret_encrypted bytea, provider text,
               external_id text, verify_token_encrypted bytea)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT c.id, c.tenant_id, c.workspace_id, c.assistant_id, c.type, c.status, t.status, t.plan, c.secret_encrypted,
           c.provider, c.external_id, c.verify_token_encrypted
    FROM channels c JOIN tenants t ON t.id = c.tenant_id
    WHERE c.public_token = p_public_token AND c.type <> 'web'
$$;
REVOKE EXECUTE ON FUNCTION resolve_messaging_channel(text) FROM PUBLIC;

-- Webhook audit retention: raw payloads (personal data) go after p_payload_before, whole rows after p_rows_before.
-- Across tenants (and the unattributed rows), so SECURITY DEFINER like the outbox functions; callable by the app role only.
CREATE FUNCTION webhook_events_apply_retention(p_payload_before timestamptz, p_rows_before timestamptz)
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
    RETURN QUERY SELECT dropped, deleted;
END $$;
REVOKE EXECUTE ON FUNCTION webhook_events_apply_retention(timestamptz, timestamptz) FROM PUBLIC;
