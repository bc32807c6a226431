-- The outbox carries the trace context of the work that wrote it (W3C traceparent, e.g. the webhook's request), so the
-- relay publishes the event as part of that trace and one trace shows webhook -> processor -> reply.
ALTER TABLE outbox_messages ADD COLUMN trace_parent text;

-- outbox_lease returns the new column: a changed result type needs DROP and CREATE, and so its rights again.
DROP FUNCTION outbox_lease(integer, interval);
CREATE FUNCTION outbox_lease(p_batch integer, p_lease interval)
RETURNS TABLE (id uuid, tenant_id uuid, event_type text, payload jsonb, correlation_id text, trace_parent text)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    UPDATE outbox_messages o
    SET locked_until = now() + p_lease, attempts = o.attempts + 1
    WHERE o.id IN (
        SELECT id FROM outbox_messages
        WHERE published_at IS NULL AND (locked_until IS NULL OR locked_until < now())
        ORDER BY created_at
        LIMIT p_batch
        FOR UPDATE SKIP LOCKED)
    RETURNING o.id, o.tenant_id, o.event_type, o.payload, o.correlation_id, o.trace_parent
$$;
-- Executable by PUBLIC by default; it bypasses row level security, so only the app role (granted by DatabaseSetup).
REVOKE EXECUTE ON FUNCTION outbox_lease(integer, interval) FROM PUBLIC;
