-- The task pipeline: durable units of work (AI generation, indexing, delivery), every execution attempt, and what
-- they produced. Status changes are made by the TaskItem entity (Shared.Database/Tasks); the functions at the end are
-- the few cross-tenant doors the engine needs (claim, heartbeat, rescue), and they follow the same rules.
-- Status and value-type texts are the C# enum names exactly, so EF's enum-to-string conversion reads them back.
--
-- Priority: a HIGHER number runs FIRST (ORDER BY priority DESC, then scheduled_at, oldest first). Default 0, so
-- urgent work is a positive number and background work a negative one, without renumbering anything.

CREATE TABLE tasks (
    id                   uuid PRIMARY KEY,
    tenant_id            uuid NOT NULL REFERENCES tenants(id),
    type                 text NOT NULL CHECK (type <> ''),
    domain_type          text CHECK (domain_type IN ('DocumentProcessing', 'CustomerSupport', 'ComplianceCheck',
                             'ContentCreation', 'DataAnalysis', 'CodeAutomation', 'DecisionAutomation', 'MonitoringAlert')),
    capability_type      text CHECK (capability_type IN ('LLM_Generation', 'LLM_Classification', 'LLM_Reasoning',
                             'Vision_OCR', 'Vision_ObjectDetection', 'Embedding_Search', 'RuleEngine', 'ExternalIntegration')),
    execution_type       text CHECK (execution_type IN ('Sync', 'Async', 'Saga', 'HumanInLoop', 'Batch', 'EventDriven')),
    priority             integer NOT NULL DEFAULT 0,
    status               text NOT NULL DEFAULT 'Created' CHECK (status IN ('Created', 'Queued', 'Running', 'Succeeded',
                             'Failed', 'Cancelled', 'DeadLetter')),
    payload              jsonb NOT NULL DEFAULT '{}'::jsonb,
    idempotency_key      text,
    -- Hash of the request that created the task: the same Idempotency-Key with another body is told apart by it.
    request_hash         text,
    scheduled_at         timestamptz NOT NULL DEFAULT now(),
    locked_until         timestamptz,
    locked_by            text,
    max_attempts         integer NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
    -- Attempts started so far; also the number of the latest attempt (task_attempts.attempt_no).
    attempt_count        integer NOT NULL DEFAULT 0 CHECK (attempt_count >= 0),
    last_error           text,
    cancel_requested_at  timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    started_at           timestamptz,
    finished_at          timestamptz,
    correlation_id       text,
    CONSTRAINT ck_tasks_idempotency_hash CHECK (idempotency_key IS NULL OR request_hash IS NOT NULL),
    -- A running task always has an owner and a lease, so the rescuer can always tell when it was abandoned.
    CONSTRAINT ck_tasks_running_lease CHECK (status <> 'Running' OR (locked_by IS NOT NULL AND locked_until IS NOT NULL))
);
CREATE UNIQUE INDEX ux_tasks_idempotency ON tasks (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
-- The claim walks this index in order and stops after a batch; only queued rows are in it, so it stays small.
CREATE INDEX ix_tasks_claim ON tasks (priority DESC, scheduled_at, id) WHERE status = 'Queued';
-- The rescuer looks for running tasks whose lease ran out.
CREATE INDEX ix_tasks_lease ON tasks (locked_until) WHERE status = 'Running';
CREATE INDEX ix_tasks_tenant_recent ON tasks (tenant_id, created_at DESC);
CREATE INDEX ix_tasks_tenant_status ON tasks (tenant_id, status);

-- One row per execution, written by the worker that ran it (or by the rescuer for one that died): the audit trail.
CREATE TABLE task_attempts (
    id            uuid PRIMARY KEY,
    tenant_id     uuid NOT NULL REFERENCES tenants(id),
    task_id       uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    attempt_no    integer NOT NULL CHECK (attempt_no >= 1),
    started_at    timestamptz NOT NULL,
    ended_at      timestamptz,
    status        text NOT NULL DEFAULT 'Running' CHECK (status IN ('Running', 'Succeeded', 'Failed', 'Cancelled', 'Released')),
    model         text,
    tokens_in     integer CHECK (tokens_in >= 0),
    tokens_out    integer CHECK (tokens_out >= 0),
    cost          numeric(12,6) CHECK (cost >= 0),
    latency_ms    integer CHECK (latency_ms >= 0),
    error_code    text,
    error_detail  text,
    worker        text
);
-- Also the index for "attempts of a task"; a rescuer and a late worker cannot both write the same attempt.
CREATE UNIQUE INDEX ux_task_attempts_task_attempt ON task_attempts (task_id, attempt_no);
CREATE INDEX ix_task_attempts_tenant_recent ON task_attempts (tenant_id, started_at DESC);

-- What a task produced: inline text or JSON, or a reference to a file or link.
CREATE TABLE task_artifacts (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants(id),
    task_id     uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('text', 'json', 'file', 'link')),
    content     text,
    uri         text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ck_task_artifacts_body CHECK (CASE WHEN kind IN ('text', 'json') THEN content IS NOT NULL ELSE uri IS NOT NULL END)
);
CREATE INDEX ix_task_artifacts_task ON task_artifacts (tenant_id, task_id, created_at);

-- Row level security, as in 0001 ------------------------------------------------------------------------------

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['tasks', 'task_attempts', 'task_artifacts']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = current_tenant_id()) '
                       'WITH CHECK (tenant_id = current_tenant_id())', t);
    END LOOP;
END $$;

-- The engine's cross-tenant doors ------------------------------------------------------------------------------
-- Workers serve every tenant, so they find work before a tenant is known. SECURITY DEFINER runs these as the owner;
-- each returns only what the worker needs to set the tenant scope and continue through the entity.

-- Takes up to p_batch due, queued tasks, highest priority first, then the longest-waiting. SKIP LOCKED lets
-- concurrent workers pass over each other's rows instead of queueing behind them, so no task is handed out twice.
-- started_at keeps the first start; each attempt's own start is in task_attempts. Rows come back in claim order.
-- p_types, when given, limits the claim to the types this worker has processors for (during a rolling deployment,
-- an older worker must not take a type only the newer one knows).
CREATE FUNCTION task_claim(p_worker text, p_batch integer, p_lease interval, p_types text[] DEFAULT NULL)
RETURNS TABLE (id uuid, tenant_id uuid, type text, payload jsonb, attempt_count integer, max_attempts integer,
               correlation_id text)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
    WITH due AS (
        SELECT q.id FROM tasks q
        WHERE q.status = 'Queued' AND q.scheduled_at <= now() AND q.cancel_requested_at IS NULL
          AND (p_types IS NULL OR q.type = ANY (p_types))
        ORDER BY q.priority DESC, q.scheduled_at, q.id
        LIMIT greatest(p_batch, 0)  -- a null batch claims nothing, rather than everything
        FOR UPDATE SKIP LOCKED
    ), claimed AS (
        UPDATE tasks t
        SET status = 'Running', locked_by = p_worker, locked_until = now() + p_lease,
            attempt_count = t.attempt_count + 1, started_at = coalesce(t.started_at, now()), updated_at = now()
        FROM due
        WHERE t.id = due.id
        RETURNING t.id, t.tenant_id, t.type, t.payload, t.attempt_count, t.max_attempts, t.correlation_id,
                  t.priority, t.scheduled_at
    )
    SELECT c.id, c.tenant_id, c.type, c.payload, c.attempt_count, c.max_attempts, c.correlation_id
    FROM claimed c
    ORDER BY c.priority DESC, c.scheduled_at, c.id
$$;

-- Extends the lease of the tasks this worker still runs. A task missing from the result was lost (rescued after an
-- expired lease, or ended): the worker must stop it and write nothing more. cancel_requested tells a running task
-- that a cancel arrived, so the worker can fire its CancellationToken and then confirm the cancel.
CREATE FUNCTION task_heartbeat(p_worker text, p_ids uuid[], p_lease interval)
RETURNS TABLE (id uuid, cancel_requested boolean)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
    UPDATE tasks t
    SET locked_until = now() + p_lease, updated_at = now()
    WHERE t.id = ANY(p_ids) AND t.status = 'Running' AND t.locked_by = p_worker
    RETURNING t.id, t.cancel_requested_at IS NOT NULL
$$;

-- Running tasks whose lease ran out (their worker died or hung), the longest-expired first. It changes nothing:
-- the rescuer sets the tenant scope and calls TaskItem.ExpireLease, which counts a failed attempt (lease_expired)
-- and requeues or dead-letters; the row's concurrency token settles a race with a heartbeat or a second rescuer.
CREATE FUNCTION task_rescue_expired(p_limit integer)
RETURNS TABLE (id uuid, tenant_id uuid, type text, locked_by text, locked_until timestamptz, attempt_count integer,
               max_attempts integer, correlation_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT t.id, t.tenant_id, t.type, t.locked_by, t.locked_until, t.attempt_count, t.max_attempts, t.correlation_id
    FROM tasks t
    WHERE t.status = 'Running' AND t.locked_until < now()
    ORDER BY t.locked_until
    LIMIT greatest(p_limit, 0)
$$;
