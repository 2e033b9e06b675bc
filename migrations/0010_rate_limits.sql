-- Abuse limits on writes hold across replicas: each (rule, subject, fixed window) is one counter
-- row, bumped by one UPSERT per request (storage/limits.py) and pruned by a job once expired.
-- UNLOGGED: no WAL per request; a crash empties the table, which only gives everyone a new window.
CREATE UNLOGGED TABLE rate_counters (
    rule          TEXT NOT NULL,
    subject       TEXT NOT NULL,
    window_start  TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    hits          BIGINT NOT NULL CHECK (hits >= 0),
    PRIMARY KEY (rule, subject, window_start)
);
CREATE INDEX rate_counters_expiry_idx ON rate_counters (expires_at);
