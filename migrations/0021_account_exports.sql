-- Leaving with your data (issue 16): exports built in the background, and deleting an account (docs/account-deletion.md).

-- One row per export a person asked for. A builder claims a queued row (FOR UPDATE SKIP LOCKED,
-- so replicas never build one twice); a building row whose builder died is claimed again once
-- its lease is over. A finished file lives in the media store until expires_at, then a sweep
-- deletes file and row.
CREATE TABLE account_exports (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    deliver     TEXT NOT NULL CHECK (deliver IN ('chat', 'link')),
    state       TEXT NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'building', 'ready', 'failed')),
    failure     TEXT CHECK (failure IN ('too_large', 'error')),
    media_key   TEXT,
    byte_size   BIGINT CHECK (byte_size >= 0),
    attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    claimed_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    expires_at  TIMESTAMPTZ NOT NULL,
    CHECK ((state = 'failed') = (failure IS NOT NULL)),
    CHECK (state <> 'ready' OR (media_key IS NOT NULL AND byte_size IS NOT NULL))
);
CREATE INDEX account_exports_todo_idx ON account_exports (created_at, id)
    WHERE state IN ('queued', 'building');
CREATE INDEX account_exports_user_idx ON account_exports (user_id, created_at DESC);
CREATE INDEX account_exports_expiry_idx ON account_exports (expires_at);

-- The one-time tokens of "delete my account": stored hashed, short-lived, bound to what the
-- person was shown (shown: the counts of the warning), consumed by the confirmation.
CREATE TABLE account_deletions (
    token_hash  BYTEA PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    shown       JSONB NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX account_deletions_user_idx ON account_deletions (user_id);

-- A deleted account leaves a tombstone user (id -1, -2, ... : MAX ids are positive) that takes
-- its place in other people's histories, offers and transfers; the person's own row is deleted,
-- so a later /start makes a new one and nothing old is reattached.
ALTER TABLE users ADD COLUMN deleted_at TIMESTAMPTZ;
CREATE SEQUENCE deleted_account_ids;

-- An offer's lines never change (0006), but one: the owner a line names may be handed to the
-- tombstone of a deleted account, so the other side's record keeps its shape without the person.
CREATE OR REPLACE FUNCTION trade_items_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.object_id IS NOT NULL AND NEW.object_id IS NULL
       AND (NEW.id, NEW.trade_id, NEW.side, NEW.owner_id, NEW.title)
           IS NOT DISTINCT FROM (OLD.id, OLD.trade_id, OLD.side, OLD.owner_id, OLD.title) THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.owner_id <> OLD.owner_id
       AND (NEW.id, NEW.trade_id, NEW.side, NEW.object_id, NEW.title)
           IS NOT DISTINCT FROM (OLD.id, OLD.trade_id, OLD.side, OLD.object_id, OLD.title)
       AND EXISTS (SELECT 1 FROM users WHERE id = NEW.owner_id AND deleted_at IS NOT NULL) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the lines of trade offer % never change', OLD.trade_id
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
