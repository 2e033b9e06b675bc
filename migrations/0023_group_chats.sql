-- Group chats the bot was added to (forgotten, but remembered as left, once removed), and which photos posted there their senders turned into objects, once each.
CREATE TABLE group_chats (
    chat_id     BIGINT PRIMARY KEY,               -- MAX chat_id of a chat of type "chat"
    title       TEXT CHECK (length(title) <= 200),
    added_by    BIGINT,                           -- MAX user_id of who added the bot
    added_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    removed_at  TIMESTAMPTZ                       -- the bot was removed: nothing is sent there
);

CREATE TABLE group_photo_claims (
    chat_id     BIGINT NOT NULL REFERENCES group_chats (chat_id) ON DELETE CASCADE,
    message_id  TEXT NOT NULL CHECK (length(message_id) <= 200),   -- the photo message's mid
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    object_id   BIGINT REFERENCES art_objects (id) ON DELETE SET NULL,
    claimed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (chat_id, message_id)
);
