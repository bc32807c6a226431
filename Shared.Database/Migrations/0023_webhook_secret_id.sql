-- The id of a subscription's current signing secret, new at every rotation (null until the first). A rotation sent with
-- an Idempotency-Key records this id as the key's resource, so a retry answers with the secret that rotation issued,
-- and only while it is still the current one: a later rotation has replaced it, and its plaintext is not kept.
ALTER TABLE webhook_subscriptions ADD COLUMN secret_id uuid;
