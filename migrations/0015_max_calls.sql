-- MAX's pace of 30 Bot API calls per second is the bot's, not a replica's: every call (a push's
-- upload and send, an edit, a callback answer, a long poll, the start-up calls) takes a slot
-- here first (bot/pacer.py). A call counts while in flight (for at most the cap the caller
-- passes: a dead process's calls stop counting soon after) and for the window after its answer,
-- as MAX counts it where it arrives. UNLOGGED: no WAL per call; a crash of the server empties
-- the table, and nothing in it matters a few seconds later.
CREATE UNLOGGED TABLE max_calls (
    id           BIGSERIAL PRIMARY KEY,
    started_at   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    answered_at  TIMESTAMPTZ
);
CREATE INDEX max_calls_started_idx ON max_calls (started_at);

-- One round trip per slot: under a transaction-level advisory lock (class 3, key 2; the
-- outbox's claims use key 1) count what is busy and either take a slot (call_id) or say how
-- long to wait before asking again (wait_ms). Calls older than a minute are forgotten here.
CREATE FUNCTION max_call_begin(
    p_rate integer, p_window_ms integer, p_cap_ms integer,
    OUT call_id bigint, OUT wait_ms integer
) LANGUAGE plpgsql AS $$
DECLARE
    t timestamptz;
    busy integer;
    frees timestamptz;
BEGIN
    PERFORM pg_advisory_xact_lock(3, 2);
    t := clock_timestamp();
    SELECT count(*), min(answered_at) INTO busy, frees FROM max_calls
    WHERE started_at > t - make_interval(secs => (p_cap_ms + p_window_ms) / 1000.0)
      AND (answered_at > t - make_interval(secs => p_window_ms / 1000.0)
           OR (answered_at IS NULL AND started_at > t - make_interval(secs => p_cap_ms / 1000.0)));
    IF busy < p_rate THEN
        INSERT INTO max_calls (started_at) VALUES (t) RETURNING id INTO call_id;
        wait_ms := 0;
        IF call_id % 256 = 0 THEN
            DELETE FROM max_calls WHERE started_at < t - interval '1 minute';
        END IF;
    ELSE
        -- the soonest a slot frees: the oldest answered call leaving the window; calls still in
        -- flight free theirs when answered, so look again soon
        wait_ms := COALESCE(
            GREATEST(1, ceil(EXTRACT(EPOCH FROM frees - t) * 1000 + p_window_ms))::integer, 20);
        wait_ms := LEAST(wait_ms, 20 + p_window_ms);
    END IF;
END $$;
