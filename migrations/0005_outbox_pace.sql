-- Every sender together keeps MAX's pace (30 requests/s per bot, 2/s per chat): a claim counts
-- the attempts answered in the last second and those still in flight, across all replicas.
ALTER TABLE outbox ADD COLUMN claimed_at TIMESTAMPTZ;    -- in flight since, until answered
ALTER TABLE outbox ADD COLUMN attempted_at TIMESTAMPTZ;  -- when MAX last answered an attempt
CREATE INDEX outbox_attempted_idx ON outbox (attempted_at) WHERE attempted_at IS NOT NULL;
CREATE INDEX outbox_in_flight_idx ON outbox (claimed_at) WHERE claimed_at IS NOT NULL;
CREATE INDEX outbox_chat_attempted_idx ON outbox ((COALESCE(chat_id, user_id)), attempted_at)
    WHERE attempted_at IS NOT NULL;
DROP INDEX outbox_chat_sent_idx;
