-- Dead-lettered pushes counted cheaply at every /metrics scrape and listed by `python -m gallery
-- outbox list`: the outbox keeps every sent row, so a count without this index reads them all.
CREATE INDEX outbox_dead_idx ON outbox (id) WHERE status = 'dead';
