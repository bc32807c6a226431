-- The CRM's management pages (issue 11A): users are invited and removed, widget channels name the sites they serve.

-- A removed user keeps its row (messages, notes and assignments name their author) but can no longer sign in, and
-- its e-mail is free again for a new invitation.
ALTER TABLE users ADD COLUMN removed_at timestamptz;
DROP INDEX ux_users_email;
CREATE UNIQUE INDEX ux_users_email ON users (lower(email)) WHERE removed_at IS NULL;

CREATE OR REPLACE FUNCTION find_user_for_sign_in(p_email text)
RETURNS TABLE (user_id uuid, tenant_id uuid, display_name text, password_hash text, role text, tenant_status text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT u.id, u.tenant_id, u.display_name, u.password_hash, u.role, t.status
    FROM users u JOIN tenants t ON t.id = u.tenant_id
    WHERE lower(u.email) = lower(p_email) AND u.removed_at IS NULL
$$;

-- An invitation to join a tenant. There is no mail server: the inviter is shown the link once, and only the SHA-256
-- hash of its token is stored (a leaked table gives no usable link). Single use: accepted_at is set in the same
-- transaction that creates the user.
CREATE TABLE user_invitations (
    id                uuid PRIMARY KEY,
    tenant_id         uuid NOT NULL REFERENCES tenants(id),
    email             text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
    role              text NOT NULL CHECK (role IN ('owner', 'admin', 'agent')),
    token_hash        bytea NOT NULL,
    invited_by        uuid REFERENCES users(id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    expires_at        timestamptz NOT NULL,
    accepted_at       timestamptz,
    accepted_user_id  uuid REFERENCES users(id),
    revoked_at        timestamptz
);
CREATE UNIQUE INDEX ux_user_invitations_token ON user_invitations (token_hash);
CREATE INDEX ix_user_invitations_tenant ON user_invitations (tenant_id, created_at DESC);
ALTER TABLE user_invitations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_invitations USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- The invitee is not signed in, so its tenant is unknown until the token is: a narrow door through row level
-- security that finds one invitation by its token's hash (the acceptance itself then runs under that tenant).
CREATE FUNCTION find_user_invitation(p_token_hash bytea)
RETURNS TABLE (invitation_id uuid, tenant_id uuid, email text, role text, expires_at timestamptz, accepted_at timestamptz,
               revoked_at timestamptz, tenant_name text, tenant_status text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT i.id, i.tenant_id, i.email, i.role, i.expires_at, i.accepted_at, i.revoked_at, t.name, t.status
    FROM user_invitations i JOIN tenants t ON t.id = i.tenant_id
    WHERE i.token_hash = p_token_hash
$$;
REVOKE EXECUTE ON FUNCTION find_user_invitation(bytea) FROM PUBLIC;

-- The sites a web widget may be embedded in (scheme://host[:port]); null or empty: any site.
ALTER TABLE channels ADD COLUMN allowed_origins text[];
