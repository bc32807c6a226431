-- The Gateway enforces a web widget's allowed origins (0017), so resolve_channel hands them over with the rest of
-- what it caches per channel: no extra round trip per widget request. The return type changes, hence DROP + CREATE.
DROP FUNCTION resolve_channel(text);
CREATE FUNCTION resolve_channel(p_public_token text)
RETURNS TABLE (channel_id uuid, tenant_id uuid, workspace_id uuid, assistant_id uuid, channel_type text,
               channel_status text, tenant_status text, secret_encrypted bytea, allowed_origins text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT c.id, c.tenant_id, c.workspace_id, c.assistant_id, c.type, c.status, t.status, c.secret_encrypted,
           c.allowed_origins
    FROM channels c JOIN tenants t ON t.id = c.tenant_id
    WHERE c.public_token = p_public_token
$$;
REVOKE EXECUTE ON FUNCTION resolve_channel(text) FROM PUBLIC;
