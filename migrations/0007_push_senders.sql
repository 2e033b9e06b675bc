-- Nobody can flood another person's chat: each push records whose action caused it, so the
-- pushes one person causes another are counted, and capped, per hour (gallery/push_limits.py).
ALTER TABLE outbox ADD COLUMN actor_id BIGINT REFERENCES users (id);
CREATE INDEX outbox_actor_idx ON outbox (actor_id, user_id, created_at)
    WHERE actor_id IS NOT NULL;
