-- The whole data model of design.md §3: people, photos, objects and every way an object moves.

CREATE TABLE users (
    id                BIGINT PRIMARY KEY,               -- MAX user_id
    first_name        TEXT NOT NULL DEFAULT '',
    last_name         TEXT,
    username          TEXT,
    language          TEXT NOT NULL DEFAULT 'ru',
    avatar_url        TEXT,
    dialog_chat_id    BIGINT,                           -- where pushes go
    privacy           TEXT NOT NULL DEFAULT 'public'
                      CHECK (privacy IN ('public', 'approved', 'private')),
    reachable         BOOLEAN NOT NULL DEFAULT TRUE,    -- false after MAX answered 403 (bot blocked)
    first_seen_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (language IN ('ru', 'en'))
);

CREATE TABLE photos (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sha256         TEXT NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    dhash          BIGINT NOT NULL,
    width          INTEGER NOT NULL CHECK (width > 0),
    height         INTEGER NOT NULL CHECK (height > 0),
    format         TEXT NOT NULL CHECK (format IN ('jpeg', 'png', 'webp', 'gif')),
    byte_size      BIGINT NOT NULL CHECK (byte_size > 0),
    original_key   TEXT NOT NULL,
    preview_key    TEXT NOT NULL,
    thumb_key      TEXT NOT NULL,
    placeholder    TEXT NOT NULL DEFAULT '',
    uploaded_by    BIGINT NOT NULL REFERENCES users (id),
    taken_at       TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX photos_dhash_idx ON photos (dhash);

CREATE TABLE art_objects (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    photo_id      BIGINT NOT NULL UNIQUE REFERENCES photos (id),
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description   TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    creator_id    BIGINT NOT NULL REFERENCES users (id),
    owner_id      BIGINT NOT NULL REFERENCES users (id),
    version       INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- 'simple' keeps words of both Russian and English as they are; the russian and english
    -- stemmers each add their language's word forms.
    search        TSVECTOR GENERATED ALWAYS AS (
                      setweight(to_tsvector('russian', title), 'A')
                   || setweight(to_tsvector('english', title), 'A')
                   || setweight(to_tsvector('simple', title), 'A')
                   || setweight(to_tsvector('russian', description), 'B')
                   || setweight(to_tsvector('english', description), 'B')
                   || setweight(to_tsvector('simple', description), 'B')
                  ) STORED
);
CREATE INDEX art_objects_owner_idx ON art_objects (owner_id, created_at DESC, id DESC);
CREATE INDEX art_objects_newest_idx ON art_objects (created_at DESC, id DESC);
CREATE INDEX art_objects_creator_idx ON art_objects (creator_id);
CREATE INDEX art_objects_search_idx ON art_objects USING GIN (search);

CREATE TABLE ownership_history (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    object_id    BIGINT NOT NULL REFERENCES art_objects (id) ON DELETE CASCADE,
    from_user_id BIGINT REFERENCES users (id),
    to_user_id   BIGINT NOT NULL REFERENCES users (id),
    reason       TEXT NOT NULL CHECK (reason IN ('created', 'transfer', 'trade')),
    reference_id BIGINT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((reason = 'created') = (from_user_id IS NULL)),
    CHECK (reason = 'created' OR reference_id IS NOT NULL)
);
CREATE INDEX ownership_history_object_idx ON ownership_history (object_id, created_at, id);

CREATE TABLE trades (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    proposer_id   BIGINT NOT NULL REFERENCES users (id),
    recipient_id  BIGINT NOT NULL REFERENCES users (id),
    message       TEXT NOT NULL DEFAULT '' CHECK (length(message) <= 1000),
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN (
                      'pending', 'accepted', 'declined', 'cancelled',
                      'expired', 'invalidated', 'countered')),
    status_reason TEXT,
    version       INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    parent_id     BIGINT REFERENCES trades (id),
    expires_at    TIMESTAMPTZ NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    decided_at    TIMESTAMPTZ,
    CHECK (proposer_id <> recipient_id),
    CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX trades_recipient_pending_idx ON trades (recipient_id, created_at DESC)
    WHERE status = 'pending';
CREATE INDEX trades_proposer_idx ON trades (proposer_id, created_at DESC);
CREATE INDEX trades_recipient_idx ON trades (recipient_id, created_at DESC);
CREATE INDEX trades_expiry_idx ON trades (expires_at) WHERE status = 'pending';

CREATE TABLE trade_items (
    trade_id   BIGINT NOT NULL REFERENCES trades (id) ON DELETE CASCADE,
    object_id  BIGINT NOT NULL REFERENCES art_objects (id) ON DELETE CASCADE,
    side       TEXT NOT NULL CHECK (side IN ('give', 'take')),
    -- the owner the offer was made against; accept re-checks it under lock
    owner_id   BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (trade_id, object_id)
);
CREATE INDEX trade_items_object_idx ON trade_items (object_id);

CREATE TABLE transfers (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    object_id     BIGINT NOT NULL REFERENCES art_objects (id) ON DELETE CASCADE,
    from_user_id  BIGINT NOT NULL REFERENCES users (id),
    kind          TEXT NOT NULL CHECK (kind IN ('qr', 'direct')),
    token_hash    BYTEA UNIQUE CHECK (token_hash IS NULL OR octet_length(token_hash) = 32),
    to_user_id    BIGINT REFERENCES users (id),           -- named receiver (direct) or claimer
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN (
                      'pending', 'claimed', 'declined', 'cancelled', 'expired', 'invalidated')),
    object_version INTEGER NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    decided_at    TIMESTAMPTZ,
    CHECK ((kind = 'qr') = (token_hash IS NOT NULL)),
    CHECK (kind = 'qr' OR to_user_id IS NOT NULL),
    CHECK (to_user_id IS NULL OR to_user_id <> from_user_id),
    CHECK ((status = 'pending') = (decided_at IS NULL))
);
-- an object is in at most one pending transfer
CREATE UNIQUE INDEX transfers_one_pending_idx ON transfers (object_id) WHERE status = 'pending';
CREATE INDEX transfers_expiry_idx ON transfers (expires_at) WHERE status = 'pending';
CREATE INDEX transfers_to_user_idx ON transfers (to_user_id, created_at DESC);

CREATE TABLE favorites (
    user_id    BIGINT NOT NULL REFERENCES users (id),
    object_id  BIGINT NOT NULL REFERENCES art_objects (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, object_id)
);
CREATE INDEX favorites_object_idx ON favorites (object_id);
CREATE INDEX favorites_user_idx ON favorites (user_id, created_at DESC);

CREATE TABLE profile_requests (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    requester_id  BIGINT NOT NULL REFERENCES users (id),
    target_id     BIGINT NOT NULL REFERENCES users (id),
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN (
                      'pending', 'approved', 'declined', 'cancelled', 'expired', 'revoked')),
    expires_at    TIMESTAMPTZ NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    decided_at    TIMESTAMPTZ,
    CHECK (requester_id <> target_id)
);
CREATE UNIQUE INDEX profile_requests_one_pending_idx ON profile_requests (requester_id, target_id)
    WHERE status = 'pending';
CREATE UNIQUE INDEX profile_requests_one_approved_idx ON profile_requests (requester_id, target_id)
    WHERE status = 'approved';
CREATE INDEX profile_requests_target_idx ON profile_requests (target_id, status);
CREATE INDEX profile_requests_expiry_idx ON profile_requests (expires_at) WHERE status = 'pending';

CREATE TABLE auth_sessions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id),
    token_hash    BYTEA NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    family        UUID NOT NULL,                 -- all rotations of one login
    expires_at    TIMESTAMPTZ NOT NULL,
    revoked_at    TIMESTAMPTZ,
    replaced_by   BIGINT REFERENCES auth_sessions (id),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX auth_sessions_user_idx ON auth_sessions (user_id);
CREATE INDEX auth_sessions_family_idx ON auth_sessions (family);
CREATE INDEX auth_sessions_expiry_idx ON auth_sessions (expires_at);

CREATE TABLE processed_updates (
    key          TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 200),
    update_type  TEXT NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX processed_updates_age_idx ON processed_updates (processed_at);

CREATE TABLE outbox (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       BIGINT REFERENCES users (id),
    chat_id       BIGINT,
    kind          TEXT NOT NULL DEFAULT 'send' CHECK (kind IN ('send', 'edit')),
    body          JSONB NOT NULL,               -- NewMessageBody (text, format, attachments, keyboard)
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN (
                      'pending', 'sent', 'dead', 'skipped')),
    attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error    TEXT,
    message_id    TEXT,                         -- MAX mid once sent
    dedupe_key    TEXT UNIQUE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at       TIMESTAMPTZ,
    CHECK (user_id IS NOT NULL OR chat_id IS NOT NULL)
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at, id) WHERE status = 'pending';

CREATE TABLE bot_dialogs (
    user_id     BIGINT PRIMARY KEY REFERENCES users (id),
    state       TEXT NOT NULL CHECK (state IN ('rename')),
    data        JSONB NOT NULL DEFAULT '{}',
    expires_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- long-polling position, so a restart neither loses nor repeats updates
CREATE TABLE bot_state (
    key         TEXT PRIMARY KEY,
    value       JSONB NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
