namespace SaasAssistants.IntegrationTests.PublicApi;

/// <summary>
/// Tasks, attempts and artifacts written as the owner, the way the engine would have left them, so the API's reads can
/// be checked on any state without running a worker.
/// </summary>
public static class TasksArrangement
{
    /// <summary>A task in any status; a Running one gets the lease the schema demands, a started one one attempt.</summary>
    public static Task<Guid> AddTaskAsync(this ApiArrangement arrange, ApiTenant tenant, string status = "Queued",
        string type = "test.arranged", DateTimeOffset? createdAt = null, DateTimeOffset? scheduledAt = null,
        DateTimeOffset? startedAt = null, DateTimeOffset? finishedAt = null)
    {
        var created = createdAt ?? DateTimeOffset.UtcNow;
        return arrange.ScalarAsync<Guid>("""
            INSERT INTO tasks (id, tenant_id, type, status, payload, scheduled_at, created_at, updated_at, started_at, finished_at,
                               attempt_count, locked_by, locked_until)
            VALUES ($1, $2, $3, $4, '{"arranged": true}', $5, $6, $6, $7, $8,
                    CASE WHEN $7::timestamptz IS NULL THEN 0 ELSE 1 END,
                    CASE WHEN $4 = 'Running' THEN 'test-worker' END,
                    CASE WHEN $4 = 'Running' THEN now() + interval '5 minutes' END)
            RETURNING id
            """, Guid.CreateVersion7(), tenant.TenantId, type, status, scheduledAt ?? created, created, OrDbNull(startedAt), OrDbNull(finishedAt));
    }

    public static Task<Guid> AddAttemptAsync(this ApiArrangement arrange, ApiTenant tenant, Guid taskId, int attemptNo,
        string status, DateTimeOffset startedAt, DateTimeOffset? endedAt = null, string? model = null, int? tokensIn = null,
        int? tokensOut = null, decimal? cost = null, int? latencyMs = null, string? errorCode = null, string? errorDetail = null)
        => arrange.ScalarAsync<Guid>("""
            INSERT INTO task_attempts (id, tenant_id, task_id, attempt_no, status, started_at, ended_at, model, tokens_in,
                                       tokens_out, cost, latency_ms, error_code, error_detail, worker)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'test-worker')
            RETURNING id
            """, Guid.CreateVersion7(), tenant.TenantId, taskId, attemptNo, status, startedAt, OrDbNull(endedAt), OrDbNull(model),
            OrDbNull(tokensIn), OrDbNull(tokensOut), OrDbNull(cost), OrDbNull(latencyMs), OrDbNull(errorCode), OrDbNull(errorDetail));

    public static Task<Guid> AddArtifactAsync(this ApiArrangement arrange, ApiTenant tenant, Guid taskId, string kind,
        string? content, string? uri, DateTimeOffset createdAt)
        => arrange.ScalarAsync<Guid>("""
            INSERT INTO task_artifacts (id, tenant_id, task_id, kind, content, uri, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            RETURNING id
            """, Guid.CreateVersion7(), tenant.TenantId, taskId, kind, OrDbNull(content), OrDbNull(uri), createdAt);

    /// <summary>How many outbox rows of the event type report the task.</summary>
    public static Task<long> CountOutboxEventsAsync(this ApiArrangement arrange, string eventType, Guid taskId)
        => arrange.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE event_type = $1 AND payload->>'taskId' = $2",
            eventType, taskId.ToString());

    public static Task<long> CountTasksAsync(this ApiArrangement arrange, ApiTenant tenant)
        => arrange.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE tenant_id = $1", tenant.TenantId);

    private static object OrDbNull<T>(T? value) => (object?)value ?? DBNull.Value;
}

