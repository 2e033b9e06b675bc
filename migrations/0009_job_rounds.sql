-- Periodic jobs run once per period across replicas: a replica claims a job's round here (one
-- statement, no connection held while the job runs) and the others skip it (server/jobs.py).
CREATE TABLE job_rounds (
    name        TEXT PRIMARY KEY,
    started_at  TIMESTAMPTZ NOT NULL,
    rounds      BIGINT NOT NULL DEFAULT 1 CHECK (rounds >= 1)
);
