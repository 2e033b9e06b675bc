-- Moderation (issue 13): reports on objects, hidden objects, banned people, the operators' audit.

CREATE TABLE reports (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- a deleted object has nothing left to moderate; the audit keeps what was done
    object_id    BIGINT NOT NULL REFERENCES art_objects (id) ON DELETE CASCADE,
    reporter_id  BIGINT NOT NULL REFERENCES users (id),
    kind         TEXT NOT NULL DEFAULT 'other' CHECK (kind IN (
                     'spam', 'offensive', 'violence', 'sexual', 'copyright', 'other')),
    reason       TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed')),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    announced_at TIMESTAMPTZ,                 -- when the operators' batched push counted it
    resolved_at  TIMESTAMPTZ,
    resolved_by  BIGINT,                      -- an operator's MAX user id
    CHECK ((status = 'open') = (resolved_at IS NULL))
);
-- one open report per person per object
CREATE UNIQUE INDEX reports_one_open_idx ON reports (reporter_id, object_id) WHERE status = 'open';
CREATE INDEX reports_open_idx ON reports (created_at, id) WHERE status = 'open';
CREATE INDEX reports_unannounced_idx ON reports (id) WHERE announced_at IS NULL;
CREATE INDEX reports_object_idx ON reports (object_id) WHERE status = 'open';

ALTER TABLE art_objects
    ADD COLUMN hidden_at     TIMESTAMPTZ,
    ADD COLUMN hidden_reason TEXT CHECK (length(hidden_reason) <= 1000),
    ADD COLUMN hidden_by     BIGINT,
    ADD CHECK ((hidden_at IS NULL) = (hidden_reason IS NULL));

ALTER TABLE users
    ADD COLUMN banned_at  TIMESTAMPTZ,
    ADD COLUMN ban_reason TEXT CHECK (length(ban_reason) <= 1000),
    ADD COLUMN banned_by  BIGINT,
    ADD CHECK ((banned_at IS NULL) = (ban_reason IS NULL));

CREATE TABLE moderation_audit (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operator_id  BIGINT NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('hide', 'restore', 'ban', 'unban', 'dismiss')),
    target_kind  TEXT NOT NULL CHECK (target_kind IN ('object', 'user', 'report')),
    target_id    BIGINT NOT NULL,
    reason       TEXT NOT NULL CHECK (length(reason) <= 1000),
    at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX moderation_audit_at_idx ON moderation_audit (at DESC, id DESC);

-- The audit is a record: rows are added, never changed or removed.
CREATE FUNCTION moderation_audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'moderation_audit rows cannot be changed or deleted';
END $$;
CREATE TRIGGER moderation_audit_append_only BEFORE UPDATE OR DELETE ON moderation_audit
    FOR EACH ROW EXECUTE FUNCTION moderation_audit_is_append_only();
