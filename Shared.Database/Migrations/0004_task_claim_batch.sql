-- The claim, made cheap enough for a worker to batch everything around it (measured with bench/TaskThroughput).
--
-- 1. It updates by primary key from an array of the locked ids. The 0002 version ("UPDATE tasks ... FROM due") is a
--    non-inlined SQL function, planned with its arguments as unknown parameters: LIMIT greatest(p_batch, 0) is then
--    estimated at 10 % of the queued rows and the planner hash-joins a sequential scan of the WHOLE tasks table,
--    finished rows included (328 ms per claim at 200,000 rows). By primary key there is no join to get wrong: an index
--    scan of ix_tasks_claim for the batch, then at most p_batch lookups in tasks_pkey (about 1 ms at 200,000 rows).
-- 2. It writes each claimed task's attempt row (Running) in the same statement, so an attempt exists from the moment
--    its task is Running: the worker no longer commits once per task to record a start, and the rescuer of a dead
--    worker always finds the attempt it closes as lease_expired.
-- Same order, same SKIP LOCKED, same columns set, same result in claim order as 0002.
CREATE OR REPLACE FUNCTION task_claim(p_worker text, p_batch integer, p_lease interval, p_types text[] DEFAULT NULL)
RETURNS TABLE (id uuid, tenant_id uuid, type text, payload jsonb, attempt_count integer, max_attempts integer,
               correlation_id text)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
    WITH claimed AS (
        UPDATE tasks t
        SET status = 'Running', locked_by = p_worker, locked_until = now() + p_lease,
            attempt_count = t.attempt_count + 1, started_at = coalesce(t.started_at, now()), updated_at = now()
        WHERE t.id = ANY (ARRAY(
            SELECT q.id FROM tasks q
            WHERE q.status = 'Queued' AND q.scheduled_at <= now() AND q.cancel_requested_at IS NULL
              AND (p_types IS NULL OR q.type = ANY (p_types))
            ORDER BY q.priority DESC, q.scheduled_at, q.id
            LIMIT greatest(p_batch, 0)  -- a null batch claims nothing, rather than everything
            FOR UPDATE SKIP LOCKED))
        RETURNING t.id, t.tenant_id, t.type, t.payload, t.attempt_count, t.max_attempts, t.correlation_id,
                  t.priority, t.scheduled_at
    ), started AS (
        INSERT INTO task_attempts (id, tenant_id, task_id, attempt_no, started_at, status, worker)
        SELECT gen_random_uuid(), c.tenant_id, c.id, c.attempt_count, now(), 'Running', p_worker FROM claimed c
    )
    SELECT c.id, c.tenant_id, c.type, c.payload, c.attempt_count, c.max_attempts, c.correlation_id
    FROM claimed c
    ORDER BY c.priority DESC, c.scheduled_at, c.id
$$;
