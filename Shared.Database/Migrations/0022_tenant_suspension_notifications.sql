-- A suspended (or cancelled) tenant's agents must lose their open live pages at once: the session check ends their
-- next request, but a SignalR connection makes no requests. Every WebApp instance LISTENs on tenant_suspended and ends
-- that tenant's connections. The payload is the tenant's id only. Migration 0019's statement-level trigger on the same
-- columns stays as it is (the Gateway's channel cache); this one is per row, because it names the tenant.
CREATE FUNCTION tenants_notify_suspension() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tenant_suspended', NEW.id::text);
    RETURN NULL;
END $$;
CREATE TRIGGER tenants_suspended AFTER UPDATE OF status ON tenants
    FOR EACH ROW WHEN (NEW.status <> 'active' AND OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION tenants_notify_suspension();
