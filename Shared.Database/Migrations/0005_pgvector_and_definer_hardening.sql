-- pgvector, and the SECURITY DEFINER functions of 0001–0004 locked down (applied migrations are checksummed and never
-- change, so the fixes are ALTERs here).

-- Embeddings and their HNSW indexes (knowledge base, later issues). `vector` is not a trusted extension: creating it
-- needs a superuser, which the migrator is (it runs as the owner). Where a DBA has created it already, IF NOT EXISTS
-- makes this a no-op that needs no privilege. scripts/install-prerequisites.sh builds it for the local servers.
CREATE EXTENSION IF NOT EXISTS vector;

-- A SECURITY DEFINER function runs with the owner's rights, past row level security. Two holes closed here:
-- 1. 0002 never revoked task_claim, task_heartbeat and task_rescue_expired from PUBLIC (functions are executable by
--    PUBLIC by default), so any login could claim or list every tenant's tasks. Only the app role may call them: it
--    gets EXECUTE from DatabaseSetup's grants, the owner has it anyway.
-- 2. `SET search_path = public` leaves pg_temp implicitly first for relations: a caller could create a temporary
--    table named like ours and have the function read it with the owner's rights. pg_catalog first, pg_temp
--    explicitly last closes that (the PostgreSQL manual's advice for SECURITY DEFINER functions).
-- Any SECURITY DEFINER function added later needs both; tests/IntegrationTests/Database/SecurityDefinerFunctionTests
-- fails for one that has not.
REVOKE EXECUTE ON FUNCTION task_claim(text, integer, interval, text[]), task_heartbeat(text, uuid[], interval),
    task_rescue_expired(integer) FROM PUBLIC;

ALTER FUNCTION resolve_channel(text) SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION resolve_api_key(text) SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION find_user_for_sign_in(text) SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION outbox_lease(integer, interval) SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION outbox_mark_published(uuid[]) SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION outbox_release(uuid[], text) SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION task_claim(text, integer, interval, text[]) SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION task_heartbeat(text, uuid[], interval) SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION task_rescue_expired(integer) SET search_path = pg_catalog, public, pg_temp;
ALTER FUNCTION task_queue_depth() SET search_path = pg_catalog, public, pg_temp;
