-- The Gateway keeps each channel it resolved (by the public token in its webhook URL) in memory, "unknown" included,
-- so that a webhook costs no lookup. A change tells it at once: a deactivated channel stops accepting, a rotated app
-- secret or verify token applies, and a new channel answers before the cached "unknown" expires. The payload is the
-- channel's public token; '*' (a tenant's status or plan changed) drops every cached channel.
CREATE FUNCTION channels_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM pg_notify('channels_changed', NEW.public_token);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('channels_changed', OLD.public_token);
    ELSE
        PERFORM pg_notify('channels_changed', OLD.public_token);
        IF NEW.public_token <> OLD.public_token THEN
            PERFORM pg_notify('channels_changed', NEW.public_token);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER channels_changed AFTER INSERT OR UPDATE OR DELETE ON channels
    FOR EACH ROW EXECUTE FUNCTION channels_notify_change();

CREATE FUNCTION tenants_notify_channel_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('channels_changed', '*');
    RETURN NULL;
END $$;
CREATE TRIGGER tenants_channels_changed AFTER UPDATE OF status, plan ON tenants
    FOR EACH STATEMENT EXECUTE FUNCTION tenants_notify_channel_change();
