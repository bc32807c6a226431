-- Proposal (for the task engine's owner; measured with `bench/run.sh --patch-sql bench/proposals/task-claim-by-primary-key.sql`).
-- Would ship as a new migration (0002 is applied and checksummed), e.g. 0004_task_claim_plan.sql.
--
-- Why: a LANGUAGE sql function that is not inlined (this one is VOLATILE and SECURITY DEFINER) is planned with its
-- arguments as unknown parameters. LIMIT greatest(p_batch, 0) is then estimated at 10 % of the queued rows, and for
-- "UPDATE tasks ... FROM due" the planner picks a hash join that reads EVERY row of tasks (finished ones included)
-- into a hash table: 328 ms per claim at 200,000 rows here, spilling to temp files, and growing with the table's
-- history. Updating by primary key from an array of the locked ids leaves the planner no join to get wrong: an
-- index scan of ix_tasks_claim for the batch, then at most p_batch lookups in tasks_pkey (about 1 ms at 200,000 rows).
-- Same semantics: same order, same SKIP LOCKED, same columns set, same result set in claim order.
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
    )
    SELECT c.id, c.tenant_id, c.type, c.payload, c.attempt_count, c.max_attempts, c.correlation_id
    FROM claimed c
    ORDER BY c.priority DESC, c.scheduled_at, c.id
$$;
