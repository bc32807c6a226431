-- What the task engine (MessageProcessor/Tasks) needs beyond 0002: an immediate cancel signal for running tasks, and
-- the queue depth for its metrics.

-- A running task's cancel reaches its worker within milliseconds instead of at the next heartbeat: when a cancel is
-- recorded on a running task, its commit notifies channel task_cancel with the task id, and the worker that runs the
-- task (every worker LISTENs) fires its CancellationToken. The heartbeat's cancel_requested stays the fallback for a
-- worker whose listening connection was down. The payload is an id only, so no row data leaves through it.
CREATE FUNCTION task_cancel_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('task_cancel', NEW.id::text);
    RETURN NULL;
END $$;
CREATE TRIGGER tasks_cancel_notify AFTER UPDATE OF cancel_requested_at ON tasks
    FOR EACH ROW
    WHEN (OLD.cancel_requested_at IS NULL AND NEW.cancel_requested_at IS NOT NULL AND NEW.status = 'Running')
    EXECUTE FUNCTION task_cancel_notify();

-- Due tasks waiting for a worker, by type, across tenants (hence SECURITY DEFINER): counts only, no row leaves.
-- Served by the partial index ix_tasks_claim, which holds queued rows only.
CREATE FUNCTION task_queue_depth()
RETURNS TABLE (type text, depth bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT t.type, count(*) FROM tasks t WHERE t.status = 'Queued' AND t.scheduled_at <= now() GROUP BY t.type
$$;

-- As in 0001: a function that bypasses row level security is for the app role (granted by DatabaseSetup) only.
REVOKE EXECUTE ON FUNCTION task_queue_depth() FROM PUBLIC;
