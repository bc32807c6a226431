-- Proposal (for the task engine's owner): the SQL of a batched engine, as a pgbench script, to compare with the SQL
-- the engine runs today (TaskThroughput/PgbenchScript.cs). Run: bench/run.sh --pgbench-script bench/proposals/batched-claim-and-complete.pgbench.sql
-- (add --patch-sql bench/proposals/task-claim-by-primary-key.sql for the claim's plan fix).
--
-- Per claimed batch, two statements and two commits instead of 1 + 7 per task and 1 + 2 per task:
--   1. the claim writes the attempts' rows in the same statement (so no separate commit per task to record a start;
--      a worker that dies still leaves its attempt rows for the rescuer to close as lease_expired);
--   2. the completion of everything that finished is one guarded statement: only tasks still Running, still leased
--      to this worker, at this attempt, are ended; their attempts and TaskSucceeded outbox rows follow from that.
-- In the engine (2) would gather whatever finished since the last write (a channel drained by one writer), so the
-- number of commits no longer grows with the number of tasks. Variables: :tenant, :batch (-D), :client_id.
WITH claimed AS (
    SELECT id, tenant_id, attempt_count FROM task_claim('pgbench-:client_id', :batch, interval '30 seconds', NULL)
), started AS (
    INSERT INTO task_attempts (id, tenant_id, task_id, attempt_no, started_at, status, worker)
    SELECT gen_random_uuid(), tenant_id, id, attempt_count, now(), 'Running', 'pgbench-:client_id' FROM claimed
    RETURNING task_id, attempt_no
)
SELECT coalesce(array_agg(task_id)::text, '{}') AS ids, coalesce(array_agg(attempt_no)::text, '{}') AS attempts FROM started \gset
WITH done AS (
    UPDATE tasks t SET status = 'Succeeded', locked_by = NULL, locked_until = NULL, finished_at = now(), updated_at = now()
    FROM unnest(':ids'::uuid[], ':attempts'::int[]) AS d(id, attempt)
    WHERE t.id = d.id AND t.status = 'Running' AND t.locked_by = 'pgbench-:client_id' AND t.attempt_count = d.attempt
    RETURNING t.id, t.tenant_id, t.attempt_count, t.correlation_id
), ended AS (
    UPDATE task_attempts a SET status = 'Succeeded', ended_at = now()
    FROM done WHERE a.task_id = done.id AND a.attempt_no = done.attempt_count
)
INSERT INTO outbox_messages (id, tenant_id, event_type, payload, correlation_id, created_at)
SELECT gen_random_uuid(), done.tenant_id, 'TaskSucceeded', jsonb_build_object('eventId', gen_random_uuid(), 'tenantId', done.tenant_id,
       'taskId', done.id, 'type', 'noop', 'attempt', done.attempt_count, 'correlationId', done.correlation_id, 'occurredAt', now()),
       done.correlation_id, now()
FROM done;
