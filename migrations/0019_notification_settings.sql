-- Notification settings (issue 16): which kinds of push each person wants, and the hourly batching of "favourited your object" pushes.

-- No row: every switch at its default (gallery/notices/settings.py DEFAULTS, which these mirror;
-- tests/notifications/test_api.py holds them together). The switches are read by the statement
-- that queues a push (storage/outbox_queue.py ENQUEUE_NOTICE): off, nothing is queued.
CREATE TABLE notification_settings (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    trades     BOOLEAN NOT NULL DEFAULT TRUE,
    transfers  BOOLEAN NOT NULL DEFAULT TRUE,
    requests   BOOLEAN NOT NULL DEFAULT TRUE,
    favorites  BOOLEAN NOT NULL DEFAULT FALSE,
    moderation BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- People who favourited an object and whose favourite its owner has not been told of yet: one
-- row per person, so unfavouriting and favouriting again counts them once.
CREATE TABLE favorite_news (
    object_id  BIGINT NOT NULL REFERENCES art_objects (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (object_id, user_id)
);

-- When the owner of an object may next be told of its favourites (at most one push an hour).
CREATE TABLE favorite_pushes (
    object_id BIGINT PRIMARY KEY REFERENCES art_objects (id) ON DELETE CASCADE,
    next_at   TIMESTAMPTZ NOT NULL
);
